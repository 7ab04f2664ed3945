// 执法人员 (#/officers): enforcement officers with their certificate periods, those expiring soon
// (or expired) first when asked, and registering an officer or a renewed certificate (法制办).
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { fmtDay, h, put } from "../../shared/util.js";
import { call, deptScoped, holds } from "../session.js";
import { actionForm, heading, listing, section, tag } from "../ui.js";
import { deptLabel } from "../depts.js";

const STATUS = { valid: ["有效", "Valid", "ok"], expiring: ["即将到期", "Expiring soon", "warn"], expired: ["已过期", "Expired", "red"], not_yet: ["尚未生效", "Not yet valid", "warn"] };

export async function render(view, ctx) {
  put(view, ...heading(L("执法人员", "Enforcement officers"), L("执法证有效期决定能否立案、调查和作出处罚决定（L3）。", "A valid certificate is needed to open, investigate and decide a penalty case (L3).")));
  const { node } = await listing(ctx, {
    path: "/legal/officers", limit: 200,
    filters: [...(deptScoped() ? [] : [{ name: "dept_code", label: L("部门代码", "Department"), inputmode: "numeric" }]),
      { name: "expiring_within", label: L("到期提醒", "Expiring"), options: [["30", L("30 日内到期或已过期", "Within 30 days or expired")], ["90", L("90 日内到期或已过期", "Within 90 days or expired")]] }],
    emptyText: L("没有符合条件的执法人员。", "No officers match."),
    caption: L("执法人员与证件有效期", "Officers and certificate periods"),
    columns: [
      { label: L("姓名", "Name"), render: (o) => [o.name, h("div", { class: "small code" }, o.officer_id)] },
      { label: L("部门", "Department"), render: (o) => deptLabel(o.dept_code) },
      { label: L("执法证号", "Certificate"), render: (o) => o.cert_no },
      { label: L("有效期", "Valid"), render: (o) => `${fmtDay(o.valid_from)} – ${fmtDay(o.valid_to)}` },
      { label: L("状态", "Status"), render: (o) => { const s = STATUS[o.status] || [o.status, o.status, ""]; return tag(L(s[0], s[1]), s[2]); } },
      { label: L("历次证件", "History"), render: (o) => ((o.certificates || []).length > 1 ? o.certificates.map((c) => `${c.cert_no} ${fmtDay(c.valid_from)}–${fmtDay(c.valid_to)}`).join("；") : "—") },
    ],
  });
  put(view, node);
  if (holds("legal")) {
    put(view, section(L("登记执法人员或换发证件", "Register an officer or a renewed certificate"), actionForm({
      id: "officer-form",
      fields: [h("div", { class: "row2" }, field({ name: "officer_id", label: L("人员编号", "Officer id"), required: true }), field({ name: "name", label: L("姓名", "Name"), required: true })),
        h("div", { class: "row2" }, field({ name: "dept_code", label: L("部门代码", "Department"), required: true, inputmode: "numeric" }), field({ name: "cert_no", label: L("执法证号", "Certificate number"), required: true })),
        h("div", { class: "row2" }, field({ name: "valid_from", label: L("有效期起", "Valid from"), type: "date", required: true }), field({ name: "valid_to", label: L("有效期止", "Valid to"), type: "date", required: true }))],
      submitText: L("登记", "Register"),
      submit: (v) => call("POST", "/legal/officers", { body: v }),
      done: async () => { ctx.working(); ctx.rerender(); },
    })));
  }
  return { title: L("执法人员", "Officers") };
}
