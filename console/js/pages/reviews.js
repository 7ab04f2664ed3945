// 复议与应诉 (#/reviews?kind=reconsideration|litigation): the registers with their statutory
// limits (受理 5 个工作日, 审理 60 日 extendable once by 30; 答辩 15 日) and the actions on each.
import { L } from "../../shared/i18n.js";
import { choices, field } from "../../shared/forms.js";
import { fmtDay, h, put, route, shanghaiDay } from "../../shared/util.js";
import { call, holds } from "../session.js";
import { actionForm, heading, listing, section, tag } from "../ui.js";

const OUTCOMES = () => [["维持", L("维持", "Upheld")], ["撤销", L("撤销", "Revoked")], ["变更", L("变更", "Varied")], ["确认违法", L("确认违法", "Confirmed unlawful")], ["责令履行", L("责令履行", "Ordered to perform")]];

function limitTag(due, late, label) {
  if (!due) return null;
  return tag(`${label} ${fmtDay(due)}${late ? L("（逾期）", " (late)") : ""}`, late ? "red" : "warn");
}

function card(x, kind, ctx) {
  const lim = x.limits || {};
  const reload = async () => { ctx.working(); ctx.rerender(); };
  const base = `/legal/${kind === "litigation" ? "litigations" : "reconsiderations"}/${encodeURIComponent(x.id)}`;
  const el = h("article", { class: "card", "data-review": x.id },
    h("h3", {}, x.ref_no, " ", x.decision ? tag(L(`已决定：${x.decision.outcome}`, `Decided: ${x.decision.outcome}`), "ok") : tag(x.status || "", "")),
    h("p", { class: "small" }, L("原办件 ", "Case "), h("a", { href: route("case", [x.case_no]), class: "code" }, x.case_no), ` · ${x.item_name || ""} · ${L("部门", "dept")} ${x.dept_code}`),
    h("p", {}, kind === "litigation"
      ? [L(`${x.court} · 原告 ${x.plaintiff || "—"} · ${fmtDay(x.served_on)} 收到起诉状 `, `${x.court} · served ${fmtDay(x.served_on)} `), limitTag(lim.defence_due, lim.defence_late, L("答辩期限", "Defence due"))]
      : [L(`申请人 ${x.applicant || "—"} · ${fmtDay(x.applied_on)} 收到申请 `, `applied ${fmtDay(x.applied_on)} `), limitTag(lim.acceptance_due, lim.acceptance_overdue, L("受理期限", "Accept by")), " ", limitTag(lim.decision_due, lim.decision_overdue, L("审理期限", "Decide by"))]),
    x.request || x.claims ? h("p", { class: "small muted" }, x.request || x.claims) : null);
  const acts = [];
  if (kind === "reconsideration" && holds("legal")) {
    if (!x.acceptance) acts.push([L("受理决定", "Acceptance"), [choices({ name: "decision", legend: L("决定", "Decision"), value: "accepted", choices: [["accepted", L("受理", "Accept")], ["rejected", L("不予受理", "Reject")]] }), field({ name: "reason", label: L("理由", "Reason") })], (v) => call("POST", `${base}/acceptance`, { body: { decision: v.decision, on: shanghaiDay(), ...(v.reason ? { reason: v.reason } : {}) } })]);
    if (x.acceptance && !x.extension && !x.decision) acts.push([L("延长审理期限", "Extend"), [field({ name: "approver", label: L("批准人", "Approver"), required: true }), field({ name: "reason", label: L("理由", "Reason"), required: true })], (v) => call("POST", `${base}/extension`, { body: { on: shanghaiDay(), approver: v.approver, reason: v.reason } })]);
  }
  if (kind === "litigation" && !x.defence_filed_on && holds("legal", "handler", "dept_head", "dept_supervision")) acts.push([L("已提交答辩", "Defence filed"), [field({ name: "on", label: L("提交日期", "Filed on"), type: "date", value: shanghaiDay(), required: true })], (v) => call("POST", `${base}/defence`, { body: { on: v.on } })]);
  const mayDecide = kind === "litigation" ? holds("legal", "handler", "dept_head", "dept_supervision") : holds("legal") && x.acceptance;
  if (!x.decision && mayDecide) {
    acts.push([kind === "litigation" ? L("登记判决", "Record the judgment") : L("作出复议决定", "Decide"), [
      field({ name: "outcome", label: L("结果", "Outcome"), options: OUTCOMES() }), field({ name: "decided_on", label: L("日期", "Date"), type: "date", value: shanghaiDay(), required: true }),
      field({ name: "summary", label: L("摘要", "Summary"), type: "textarea", rows: 2 }), field({ name: "follow_up", label: L("纠错整改情况", "Follow-up"), type: "textarea", rows: 2 })],
    (v) => call("POST", `${base}/decision`, { body: Object.fromEntries(Object.entries(v).filter(([, y]) => y)) })]);
  }
  for (const [label, fields, submit] of acts) put(el, h("details", { class: "act" }, h("summary", {}, label), actionForm({ fields, submitText: label, submit, done: reload })));
  return el;
}

export async function render(view, ctx) {
  const kind = ctx.params.get("kind") === "litigation" ? "litigation" : "reconsideration";
  put(view, ...heading(L("复议与应诉", "Reconsideration and litigation"), L("行政复议：收到申请后 5 个工作日内决定是否受理，受理后 60 日内决定（可延长一次 30 日）。行政应诉：收到起诉状副本后 15 日内提交答辩状和证据。", "Reconsideration: accept within 5 working days, decide within 60 days (extendable once by 30). Litigation: defend within 15 days of service.")),
    h("nav", { class: "actions", "aria-label": L("登记簿", "Register") },
      h("a", { class: kind === "reconsideration" ? "btn" : "btn btn-secondary", href: route("reviews", [], { kind: "reconsideration" }), "aria-current": kind === "reconsideration" ? "page" : null }, L("行政复议", "Reconsideration")),
      h("a", { class: kind === "litigation" ? "btn" : "btn btn-secondary", href: route("reviews", [], { kind: "litigation" }), "aria-current": kind === "litigation" ? "page" : null }, L("行政应诉", "Litigation"))));
  const { node } = await listing({ ...ctx, keepParams: ["kind"] }, {
    path: kind === "litigation" ? "/legal/litigations" : "/legal/reconsiderations",
    filters: [{ name: "case_no", label: L("原办件编号", "Case number") }],
    emptyText: L("没有登记。", "Nothing registered."),
    renderItems: (items) => h("div", { id: "review-list" }, items.map((x) => card(x, kind, ctx))),
  });
  put(view, node);
  const mayCreate = kind === "litigation" ? holds("legal", "handler", "dept_head", "dept_supervision") : holds("legal");
  if (mayCreate) {
    const fields = kind === "litigation"
      ? [field({ name: "ref_no", label: L("法院案号", "Court number"), required: true }), field({ name: "case_no", label: L("原办件编号", "Case number"), required: true }), field({ name: "court", label: L("法院", "Court"), required: true }),
        field({ name: "plaintiff", label: L("原告", "Plaintiff") }), field({ name: "claims", label: L("诉讼请求", "Claims"), type: "textarea", rows: 2 }), field({ name: "served_on", label: L("收到起诉状副本日期", "Served on"), type: "date", required: true })]
      : [field({ name: "ref_no", label: L("复议案号", "Reference"), required: true }), field({ name: "case_no", label: L("原办件编号", "Case number"), required: true }), field({ name: "applicant", label: L("申请人", "Applicant") }),
        field({ name: "request", label: L("复议请求", "Request"), type: "textarea", rows: 2 }), field({ name: "learned_on", label: L("申请人知道行政行为之日", "Learned on"), type: "date", required: true }), field({ name: "applied_on", label: L("收到申请之日", "Applied on"), type: "date", value: shanghaiDay(), required: true })];
    put(view, section(kind === "litigation" ? L("登记行政应诉", "Register a litigation") : L("登记复议申请", "Register an application"), actionForm({
      fields, submitText: L("登记", "Register"),
      submit: (v) => call("POST", kind === "litigation" ? "/legal/litigations" : "/legal/reconsiderations", { body: Object.fromEntries(Object.entries(v).filter(([, y]) => y)) }),
      done: async () => { ctx.working(); ctx.rerender(); },
    })));
  }
  return { title: L("复议与应诉", "Reconsideration and litigation") };
}
