// 部门与密钥 (#/departments): departments and their systems' signing keys. The system administrator
// registers a department (its secret is shown once); the security administrator rotates a key
// (the old one works for the overlap) or disables one at once (#/departments/{code}).
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { fmtTime, h, put, route, swap } from "../../shared/util.js";
import { call, holds } from "../session.js";
import { actionForm, empty, failure, heading, section, table, tag } from "../ui.js";
import { api } from "../../shared/data.js";
import { deptLabel } from "../depts.js";

const KEY_STATUS = { active: ["有效", "Active", "ok"], expiring: ["过渡期内", "In overlap", "warn"], expired: ["已过期", "Expired", "red"], disabled: ["已停用", "Disabled", "red"] };

function secretShown(data) {
  return h("div", { class: "receipt", id: "secret-once" }, h("h3", { tabindex: "-1" }, L("部门系统密钥（只显示这一次）", "The department system's key (shown once)")),
    h("p", {}, L("请立即通过安全渠道交给该部门的系统管理员；平台只保存加密后的密钥，无法再次查看。", "Hand it over now through a secure channel; the platform keeps it only encrypted and cannot show it again.")),
    h("dl", { class: "kv" }, h("dt", {}, "key_id"), h("dd", {}, h("code", {}, data.key_id)), h("dt", {}, "secret"), h("dd", {}, h("code", { class: "secret" }, data.secret))));
}

async function detail(view, ctx) {
  const code = ctx.args[0];
  put(view, h("p", { class: "small no-print" }, h("a", { href: "#/departments" }, L("← 返回部门", "← Departments"))), ...heading(L(`${deptLabel(code)}的系统密钥`, `Keys of ${deptLabel(code)}`)));
  const out = h("div", {});
  const r = await call("GET", `/admin/departments/${encodeURIComponent(code)}/keys`);
  if (!r.ok) {
    put(view, failure(r.error));
    return;
  }
  put(view, out);
  if (!r.data.items.length) put(view, empty(L("没有密钥。", "No keys.")));
  else {
    put(view, table({ caption: L("密钥（从不显示密钥本身）", "Keys (the secrets are never shown)"), rows: r.data.items, columns: [
      { label: "key_id", render: (k) => h("code", {}, k.key_id) },
      { label: L("状态", "Status"), render: (k) => { const s = KEY_STATUS[k.status] || [k.status, k.status, ""]; return tag(L(s[0], s[1]), s[2]); } },
      { label: L("创建", "Created"), render: (k) => fmtTime(k.created_at) },
      { label: L("失效", "Expires"), render: (k) => (k.expires_at ? fmtTime(k.expires_at) : "—") },
      { label: L("操作", "Action"), render: (k) => (holds("security_admin") && k.status !== "disabled" ? h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: async (e) => {
        e.target.disabled = true;
        const d = await call("POST", `/admin/departments/${encodeURIComponent(code)}/keys/${encodeURIComponent(k.key_id)}/disable`);
        if (d.ok) { ctx.working(); ctx.rerender(); } else { e.target.disabled = false; swap(out, failure(d.error)); }
      } }, L("立即停用", "Disable now")) : "—") },
    ] }));
  }
  if (holds("security_admin")) {
    put(view, section(L("轮换密钥", "Rotate the key"), actionForm({
      id: "rotate-form",
      fields: [field({ name: "overlap_minutes", label: L("旧密钥继续有效的过渡时间（分钟）", "Overlap (minutes)"), type: "number", value: "1440", hint: L("过渡期内新旧两把密钥均可签名，便于部门系统切换。", "Both keys sign during the overlap.") })],
      submitText: L("生成新密钥", "Rotate"),
      submit: (v) => call("POST", `/admin/departments/${encodeURIComponent(code)}/keys/rotate`, { body: { overlap_minutes: Number(v.overlap_minutes || 1440) } }),
      done: (data) => { swap(out, secretShown(data)); out.querySelector("h3").focus(); },
    })));
  }
}

async function list(view, ctx) {
  put(view, ...heading(L("部门与密钥", "Departments and keys"), L("平台上的部门及其业务系统的签名密钥。", "Departments and their systems' signing keys.")));
  const out = h("div", {});
  put(view, out);
  const r = await api("GET", "/departments");
  if (!r.ok) put(view, failure(r.error));
  else {
    const q = (ctx.params.get("q") || "").trim();
    const rows = r.data.items.filter((d) => !q || `${d.code}${d.name}`.includes(q));
    put(view, table({ caption: L("部门", "Departments"), rows, columns: [
      { label: L("代码", "Code"), render: (d) => h("code", {}, d.code) },
      { label: L("名称", "Name"), render: (d) => d.name },
      { label: L("层级", "Level"), render: (d) => (d.level === "county" ? L("县级", "county") : L("市级", "city")) },
      { label: L("行政区划", "Region"), render: (d) => d.region_code },
      { label: L("密钥", "Keys"), render: (d) => h("a", { href: route("departments", [d.code]) }, L("查看密钥", "Keys")) },
    ] }));
  }
  if (holds("system_admin")) {
    put(view, section(L("登记部门", "Register a department"), actionForm({
      id: "department-form",
      fields: [h("div", { class: "row2" }, field({ name: "code", label: L("部门代码（3 位）", "Code (3 digits)"), required: true, inputmode: "numeric", maxlength: 3 }), field({ name: "region_code", label: L("行政区划代码", "Region code"), value: "320300", required: true })),
        field({ name: "name", label: L("部门名称", "Name"), required: true }),
        field({ name: "level", label: L("层级", "Level"), options: [["city", L("市级", "City")], ["county", L("县（市、区）级", "County")]] })],
      submitText: L("登记并生成密钥", "Register"),
      submit: (v) => call("POST", "/admin/departments", { body: v }),
      done: (data) => { swap(out, secretShown(data)); out.querySelector("h3").focus(); },
    })));
  }
}

export async function render(view, ctx) {
  if (ctx.args[0]) await detail(view, ctx);
  else await list(view, ctx);
  return { title: L("部门与密钥", "Departments and keys") };
}
