// 事项确认 (#/pending): declarations awaiting the legal office with the governance clocks (the
// office answers within 10 days of a declaration; a department declares within 20 days of a law
// change, L12), and one declaration (#/pending/{code}/{version}) compared field by field with the
// version in force, to confirm with an effective date or reject with a reason.
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { CATEGORY_NAMES, PENALTY_TYPES, TIERS, dashedCode, fmtDay, fmtLimit, fmtMoney, h, pick, put, route, shanghaiDay } from "../../shared/util.js";
import { call } from "../session.js";
import { actionForm, empty, failure, heading, section, table, tag } from "../ui.js";
import { deptLabel } from "../depts.js";

const FIELDS = [
  ["name", ["事项名称", "Name"]], ["category", ["权力类别", "Category"]], ["legal_basis", ["法律依据", "Legal basis"]],
  ["conditions", ["办理条件", "Conditions"]], ["materials", ["申请材料", "Materials"]], ["statutory_limit", ["法定期限", "Statutory limit"]],
  ["promised_limit", ["承诺期限", "Promised limit"]], ["fee", ["收费", "Fee"]], ["steps", ["内部流程", "Steps"]],
  ["risk_points", ["廉政风险点", "Risk points"]], ["penalty", ["处罚标准", "Penalty terms"]], ["place", ["办理地点", "Place"]],
  ["phone", ["咨询电话", "Phone"]], ["supervision_phone", ["监督电话", "Supervision phone"]], ["keywords", ["关键词", "Keywords"]],
  ["co_departments", ["并联审批部门", "Co-handling departments"]], ["result_name", ["结果名称", "Result name"]],
];

/** A field's value as lines people compare. */
function lines(key, v) {
  if (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length)) return [];
  switch (key) {
    case "category": return [`${v} ${pick(CATEGORY_NAMES, v, v)}`];
    case "legal_basis": return v.map((b) => `${b.id}：${b.title}${b.article}`);
    case "materials": return v.map((m) => `${m.name}${m.required ? L("（必需）", " (required)") : L("（可选）", " (optional)")}${m.note ? ` ${m.note}` : ""}`);
    case "statutory_limit": case "promised_limit": return [fmtLimit(v)];
    case "fee": return [v.charged ? L(`收费 ${fmtMoney(v.amount)}，依据：${v.basis || "—"}`, `charged ${fmtMoney(v.amount)}; basis: ${v.basis || "—"}`) : L("不收费", "free")];
    case "steps": return v.map((s, i) => L(`${i + 1}. ${s.name}（${s.code}）${s.limit_days} 个工作日${s.post ? ` · ${s.post}` : ""}`, `${i + 1}. ${s.name} (${s.code}) ${s.limit_days} wd`));
    case "risk_points": return v.map((r) => `${r.step_code} · ${L("等级", "level")} ${r.level} · ${r.description}${(r.controls || []).length ? ` · ${r.controls.join("；")}` : ""}${(r.linked_rule_ids || []).length ? ` · ${L("关联规则", "rules")} ${r.linked_rule_ids.join("、")}` : ""}`);
    case "penalty": return [
      `${L("种类", "Types")}：${(v.types || []).map((t) => pick(PENALTY_TYPES, t, t)).join("、")}`,
      `${L("法定幅度", "Range")}：${fmtMoney(v.fine_min)} – ${fmtMoney(v.fine_max)}`,
      ...(v.tiers || []).map((t) => `${L("档次", "Tier")} ${pick(TIERS, t.tier, t.tier)}：${fmtMoney(t.min)} – ${fmtMoney(t.max)}${t.conditions ? `（${t.conditions}）` : ""}`),
      `${L("办案期限", "Case limit")}：${v.case_limit_days} ${L("日", "days")}`];
    default: return Array.isArray(v) ? v.map(String) : [String(v)];
  }
}

function diffCell(before, after, side) {
  const other = new Set(side === "old" ? after : before);
  const mine = side === "old" ? before : after;
  if (!mine.length) return h("span", { class: "muted" }, "—");
  return h("ul", { class: "plain" }, mine.map((x) => h("li", {}, other.has(x) ? x : h(side === "old" ? "del" : "ins", {}, x))));
}

function diffTable(current, declared, inForce = true) {
  const rows = FIELDS.map(([key, label]) => {
    const before = current ? lines(key, current[key]) : [];
    const after = lines(key, declared[key]);
    return { key, label, before, after, changed: JSON.stringify(before) !== JSON.stringify(after) };
  }).filter((r) => r.before.length || r.after.length);
  const changed = rows.filter((r) => r.changed).length;
  const base = inForce ? L(`现行第 ${current && current.version} 版`, `version ${current && current.version} in force`) : L(`此前确认的第 ${current && current.version} 版`, `the previously confirmed version ${current && current.version}`);
  return [h("p", { id: "diff-summary" }, current ? L(`与${base}相比，${changed} 个字段有变化（删去的以 − 标出，新增的以 + 标出）。`, `${changed} fields differ from version ${current.version} (removed marked −, added marked +).`)
    : L("新事项：目录中尚无现行版本。", "A new item: nothing in force yet.")),
  table({ caption: L("逐字段对比", "Field by field"), cards: true, rows,
    rowAttrs: (r) => ({ class: r.changed ? "changed" : null, "data-field": r.key }),
    columns: [
      { label: L("字段", "Field"), render: (r) => [L(...r.label), r.changed ? [" ", tag(L("有变化", "changed"), "warn")] : null] },
      { label: current ? L(`现行第 ${current.version} 版`, `In force (v${current.version})`) : L("现行版本", "In force"), render: (r) => diffCell(r.before, r.after, "old") },
      { label: L(`申报第 ${declared.version} 版`, `Declared (v${declared.version})`), render: (r) => diffCell(r.before, r.after, "new") },
    ] })];
}

async function detail(view, ctx) {
  const [code, version] = ctx.args;
  put(view, h("p", { class: "small no-print" }, h("a", { href: "#/pending" }, L("← 返回待确认事项", "← Items to confirm"))));
  const vr = await call("GET", `/catalog/items/${encodeURIComponent(code)}/versions`);
  if (!vr.ok) {
    put(view, ...heading(dashedCode(code)), failure(vr.error));
    return;
  }
  const declared = vr.data.items.find((v) => String(v.version) === String(version));
  if (!declared) {
    put(view, ...heading(dashedCode(code)), empty(L("没有该版本。", "No such version.")));
    return;
  }
  // Compared with the version in force today, or (when this one is in force already) the confirmed one before it
  const cr = await call("GET", `/catalog/items/${encodeURIComponent(code)}`);
  const earlier = vr.data.items.filter((v) => v.status === "confirmed" && v.version < declared.version).sort((a, b) => b.version - a.version)[0] || null;
  const current = cr.ok && cr.data.version !== declared.version ? cr.data : earlier;
  put(view, ...heading(L(`${declared.name}（申报第 ${declared.version} 版）`, `${declared.name} (declared version ${declared.version})`),
    L(`${dashedCode(code)} · ${deptLabel(declared.dept_code)} · ${fmtDay(declared.declared_at)} 申报 · 状态：${declared.status === "declared" ? "待确认" : declared.status === "confirmed" ? "已确认" : "已退回"}`,
      `${dashedCode(code)} · department ${declared.dept_code} · declared ${fmtDay(declared.declared_at)} · ${declared.status}`)));
  put(view, section(L("与现行版本的差异", "Differences from the version in force"), diffTable(current, declared, !(cr.ok && cr.data.version === declared.version))));
  if (declared.status !== "declared") {
    put(view, h("p", { class: "notice" }, declared.status === "confirmed" ? L(`已确认，${fmtDay(declared.effective_from)} 起施行。`, `Confirmed, in force from ${fmtDay(declared.effective_from)}.`) : L(`已退回：${declared.rejected_reason || ""}`, `Rejected: ${declared.rejected_reason || ""}`)));
    return;
  }
  const done = async () => { ctx.working(); window.location.hash = "#/pending"; };
  put(view, section(L("审核", "Review"),
    h("details", { class: "act", open: true, "data-action": "confirm" }, h("summary", {}, L("确认并确定施行日期", "Confirm with an effective date")), actionForm({
      id: "confirm-form",
      fields: [field({ name: "effective_from", label: L("施行日期", "Effective from"), type: "date", value: shanghaiDay(), required: true,
        hint: L("办件按受理之日施行的版本办理；此日期前受理的办件仍适用原版本。", "Cases bind to the version in force on their acceptance date.") })],
      submitText: L("确认", "Confirm"),
      submit: (v) => call("POST", `/catalog/items/${encodeURIComponent(code)}/versions/${version}/confirm`, { body: { effective_from: v.effective_from } }),
      done,
    })),
    h("details", { class: "act", "data-action": "reject" }, h("summary", {}, L("退回并说明理由", "Reject with a reason")), actionForm({
      id: "reject-form",
      fields: [field({ name: "reason", label: L("退回理由", "Reason"), type: "textarea", rows: 4, required: true })],
      submitText: L("退回", "Reject"),
      submit: (v) => call("POST", `/catalog/items/${encodeURIComponent(code)}/versions/${version}/reject`, { body: { reason: v.reason } }),
      done,
    }))));
}

async function list(view, ctx) {
  put(view, ...heading(L("事项确认", "Items to confirm"), L("部门申报的事项和新版本，须在申报后 10 日内审核确认或退回；法律依据变更后，部门须在 20 日内申报调整（L12）。", "Declarations to confirm or reject within 10 days; departments must declare within 20 days of a law change (L12).")));
  const r = await call("GET", "/legal/catalog/pending", { query: { cursor: ctx.params.get("cursor") || undefined } });
  if (!r.ok) put(view, failure(r.error));
  else if (!r.data.items.length) put(view, empty(L("没有待确认的申报。", "Nothing awaits confirmation.")));
  else {
    put(view, section(L("待确认的申报", "Awaiting confirmation"), table({
      caption: L("待确认，等待最久的在前", "Awaiting confirmation"), rows: r.data.items,
      rowAttrs: (x) => ({ class: x.overdue ? "is-red" : null }),
      columns: [
        { label: L("事项", "Item"), render: (x) => [h("a", { href: route("pending", [x.code, String(x.version)]) }, x.name), h("div", { class: "small code" }, `${dashedCode(x.code)} · ${L("第", "v")}${x.version}${L(" 版", "")}`)] },
        { label: L("部门", "Department"), render: (x) => `${x.dept_name || x.dept_code}（${x.level_name || ""}）` },
        { label: L("申报日", "Declared"), render: (x) => fmtDay(x.declared_on) },
        { label: L("已等待", "Waiting"), render: (x) => L(`${x.days_waiting} 日`, `${x.days_waiting} days`) },
        { label: L("答复期限", "Reply due"), render: (x) => [fmtDay(x.reply_due), " ", x.overdue ? tag(L("已逾期", "overdue"), "red") : null] },
      ],
    })));
  }
  const od = await call("GET", "/legal/catalog/overdue-declarations");
  put(view, section(L("逾期未申报调整（法律依据变更后 20 日）", "Law changes not yet declared (20 days)"),
    od.ok ? (od.data.items.length ? table({ rows: od.data.items, columns: [
      { label: L("部门", "Department"), render: (x) => x.dept_name || x.dept_code },
      { label: L("变更", "Change"), render: (x) => x.title || x.basis_title || x.basis_id || "—" },
      { label: L("变更日", "Changed on"), render: (x) => fmtDay(x.triggered_on) },
      { label: L("应申报期限", "Declare by"), render: (x) => fmtDay(x.due || x.declare_by) },
    ] }) : empty(L("没有逾期未申报的调整。", "None overdue."))) : failure(od.error),
    h("details", { class: "act", "data-action": "trigger" }, h("summary", {}, L("登记法律依据变更", "Record a law change")), actionForm({
      fields: [field({ name: "dept_code", label: L("须调整目录的部门代码", "Department to declare"), required: true, inputmode: "numeric" }),
        field({ name: "basis_id", label: L("依据编号", "Basis id") }), field({ name: "title", label: L("变更内容", "What changed") }),
        field({ name: "triggered_on", label: L("变更日期", "Changed on"), type: "date", value: shanghaiDay(), required: true })],
      submitText: L("登记", "Record"),
      submit: (v) => call("POST", "/legal/catalog/triggers", { body: Object.fromEntries(Object.entries(v).filter(([, x]) => x)) }),
      done: async () => { ctx.working(); ctx.rerender(); },
    }))));
  const gstatus = h("span", { role: "status", class: "muted" });
  const gbtn = h("button", { type: "button", class: "btn btn-secondary" }, L("按今日检查目录治理时限（L12）", "Check the governance clocks now (L12)"));
  gbtn.addEventListener("click", async () => {
    gbtn.disabled = true;
    const g = await call("POST", "/legal/catalog/governance-check", { body: { as_of: shanghaiDay() } });
    gbtn.disabled = false;
    gstatus.textContent = g.ok ? L(`检查完成：新产生发现 ${g.data.raised ?? 0} 个。`, `Done: ${g.data.raised ?? 0} new findings.`) : g.error.message;
  });
  put(view, h("div", { class: "actions no-print" }, gbtn, gstatus));
}

export async function render(view, ctx) {
  if (ctx.args.length >= 2) await detail(view, ctx);
  else await list(view, ctx);
  return { title: L("事项确认", "Items to confirm") };
}
