// 投诉处理: the list (#/complaints, filters in the URL) and one complaint (#/complaint/{no}) with
// the 5-working-day acceptance clock, the bureau's decision, transfer with a reply deadline and
// result, and the department's reply to what was transferred to it. Departments never see who
// complained (the API leaves the identity out for them).
import { L } from "../../shared/i18n.js";
import { choices, field } from "../../shared/forms.js";
import { COMPLAINT_CATEGORIES, RATINGS, fmtDay, fmtTime, h, pick, put, route } from "../../shared/util.js";
import { call, deptScoped, holds } from "../session.js";
import { CHANNELS, COMPLAINT_ACTIONS, COMPLAINT_FINDINGS, COMPLAINT_STATUS } from "../names.js";
import { actionForm, failure, heading, kv, listing, section, tag } from "../ui.js";
import { deptLabel } from "../depts.js";

function clock(c) {
  if (c.status === "received") {
    return c.accept_overdue ? tag(L(`受理已逾期（应于 ${fmtDay(c.accept_deadline)} 前决定）`, `Acceptance overdue (due ${fmtDay(c.accept_deadline)})`), "red")
      : tag(L(`应于 ${fmtDay(c.accept_deadline)} 前决定是否受理`, `Decide by ${fmtDay(c.accept_deadline)}`), "warn");
  }
  if (c.status === "transferred" && c.transfer) {
    return c.reply_overdue ? tag(L(`部门答复已逾期（${fmtDay(c.transfer.reply_deadline)}）`, `Reply overdue (${fmtDay(c.transfer.reply_deadline)})`), "red")
      : tag(L(`部门应于 ${fmtDay(c.transfer.reply_deadline)} 前答复`, `Reply due ${fmtDay(c.transfer.reply_deadline)}`), "warn");
  }
  return null;
}

async function list(view, ctx) {
  put(view, ...heading(L("投诉处理", "Complaints"), deptScoped()
    ? L("监察局转办给本部门的投诉，须在期限内答复。", "Complaints the bureau transferred to your department, to answer in time.")
    : L("收到投诉后 5 个工作日内决定是否受理；受理后可转部门办理并限期答复，办结后结果告知投诉人。", "Decide within 5 working days; transfer with a reply deadline; conclude and tell the complainant.")));
  const filters = [
    { name: "status", label: L("状态", "Status"), options: Object.keys(COMPLAINT_STATUS).map((s) => [s, pick(COMPLAINT_STATUS, s, s)]) },
    ...(deptScoped() ? [] : [{ name: "dept_code", label: L("被投诉部门", "Department"), inputmode: "numeric" }]),
    { name: "overdue", label: L("逾期", "Overdue"), options: [["true", L("仅看逾期", "Overdue only")]] },
    { name: "case_no", label: L("办件编号", "Case number") },
  ];
  const { node } = await listing(ctx, {
    path: "/complaints", filters,
    emptyText: L("没有符合条件的投诉。", "No complaints match."),
    caption: L("投诉", "Complaints"),
    columns: [
      { label: L("编号", "Number"), render: (c) => h("a", { href: route("complaint", [c.complaint_no]), class: "code" }, c.complaint_no) },
      { label: L("部门", "Department"), render: (c) => deptLabel(c.dept_code) },
      { label: L("类别", "Category"), render: (c) => pick(COMPLAINT_CATEGORIES, c.category, c.category) },
      { label: L("内容", "Content"), render: (c) => (c.content || "").slice(0, 60) + ((c.content || "").length > 60 ? "…" : "") },
      { label: L("收到", "Received"), render: (c) => fmtTime(c.received_at) },
      { label: L("状态与时限", "Status and clock"), render: (c) => [pick(COMPLAINT_STATUS, c.status, c.status), " ", clock(c)] },
    ],
  });
  put(view, node);
}

async function detail(view, ctx) {
  const no = ctx.args[0];
  put(view, h("p", { class: "small no-print" }, h("a", { href: "#/complaints" }, L("← 返回投诉列表", "← Complaints"))));
  const r = await call("GET", `/complaints/${encodeURIComponent(no)}`);
  if (!r.ok) {
    put(view, ...heading(L(`投诉 ${no}`, `Complaint ${no}`)), failure(r.error));
    return;
  }
  const c = r.data;
  put(view, ...heading(L(`投诉 ${c.complaint_no}`, `Complaint ${c.complaint_no}`)), h("p", {}, tag(pick(COMPLAINT_STATUS, c.status, c.status)), " ", clock(c)));
  put(view, section(L("投诉内容", "Complaint"), kv([
    [L("被投诉部门", "Department"), c.dept_code ? deptLabel(c.dept_code) : null],
    [L("涉及办件", "Case"), c.case_no ? h("a", { href: route("case", [c.case_no]), class: "code" }, c.case_no) : null],
    [L("类别", "Category"), pick(COMPLAINT_CATEGORIES, c.category, c.category)],
    [L("渠道", "Channel"), pick(CHANNELS, c.channel, c.channel)],
    [L("投诉人", "Complainant"), c.name ? [c.name, c.phone ? ` · ${c.phone}` : ""]
      : c.real_name ? L("实名投诉（投诉人信息对部门保密）", "Named (withheld from the department)") : L("匿名", "Anonymous")],
    [L("收到时间", "Received"), fmtTime(c.received_at)],
    [L("受理期限", "Decide by"), fmtDay(c.accept_deadline, true)],
    [L("内容", "Content"), h("span", { class: "pre-line" }, c.content)],
    [L("受理决定", "Decision"), c.decision ? `${c.decision.decision === "accept" ? L("受理", "accepted") : L("不予受理", "rejected")}${c.decision.reason ? `：${c.decision.reason}` : ""}（${fmtTime(c.decision.at || c.decision.decided_at)}）` : null],
    [L("转办", "Transfer"), c.transfer ? L(`转${deptLabel(c.dept_code)}，答复期限 ${fmtDay(c.transfer.reply_deadline)}${c.transfer.note ? `：${c.transfer.note}` : ""}`, `to ${deptLabel(c.dept_code)}, reply by ${fmtDay(c.transfer.reply_deadline)}`) : null],
    [L("部门答复", "Reply"), c.reply ? h("span", { class: "pre-line" }, c.reply.text || c.reply.reply || JSON.stringify(c.reply)) : null],
    [L("处理结果", "Result"), c.result ? h("span", { class: "pre-line" }, c.result.text || c.result.result || JSON.stringify(c.result)) : null],
    [L("调查认定", "Finding"), c.result && c.result.finding ? pick(COMPLAINT_FINDINGS, c.result.finding, c.result.finding) : null],
    [L("投诉人评价", "Rating"), c.rating ? pick(RATINGS, c.rating.rating, c.rating.rating) : null],
  ])));
  const reload = async () => { ctx.working(); ctx.rerender(); };
  const path = (a) => `/complaints/${encodeURIComponent(no)}/${a}`;
  const acts = [];
  if (holds("supervisor") && c.status === "received") {
    acts.push(["decision", L("受理决定", "Decide"), [
      choices({ name: "decision", legend: L("决定", "Decision"), value: "accept", choices: [["accept", L("受理", "Accept")], ["reject", L("不予受理", "Reject")]] }),
      field({ name: "reason", label: L("理由（不予受理时必填）", "Reason (required to reject)"), type: "textarea", rows: 3 })],
    (v) => call("POST", path("decision"), { body: { decision: v.decision, ...(v.reason ? { reason: v.reason } : {}) } })]);
  }
  if (holds("supervisor") && c.status === "accepted") {
    acts.push(["transfer", L("转部门办理", "Transfer"), [
      field({ name: "reply_working_days", label: L("答复期限（工作日）", "Reply within (working days)"), type: "number", value: "10", inputmode: "numeric" }),
      field({ name: "note", label: L("转办意见", "Note"), type: "textarea", rows: 3 })],
    (v) => call("POST", path("transfer"), { body: { reply_working_days: Number(v.reply_working_days || 10), ...(v.note ? { note: v.note } : {}) } })]);
  }
  if (holds("handler", "dept_head", "dept_supervision") && c.status === "transferred") {
    acts.push(["reply", L("部门答复", "Reply"), [field({ name: "reply", label: L("答复内容", "Reply"), type: "textarea", rows: 5, required: true })],
      (v) => call("POST", path("reply"), { body: { reply: v.reply } })]);
  }
  // What the investigation established; "查实违法不予受理" (only for a case refused at intake) raises the red R7.
  const findings = (value, optional) => choices({ name: "finding", legend: L("调查认定", "Finding"), value, required: !optional,
    choices: [...(optional ? [["", L("暂不认定", "No finding")]] : []),
      ...Object.keys(COMPLAINT_FINDINGS).filter((k) => k !== "wrongful_rejection" || c.case_no).map((k) => [k, pick(COMPLAINT_FINDINGS, k, k)])] });
  if (holds("supervisor") && ["accepted", "transferred", "replied"].includes(c.status)) {
    acts.push(["result", L("办结并告知投诉人", "Conclude"), [findings("", true), field({ name: "result", label: L("处理结果", "Result"), type: "textarea", rows: 5, required: true })],
      (v) => call("POST", path("result"), { body: { result: v.result, ...(v.finding ? { finding: v.finding } : {}) } })]);
  }
  if (holds("supervisor") && c.status === "concluded") {
    acts.push(["finding", L("复查：改变调查认定", "Review: revise the finding"), [findings((c.result && c.result.finding) || "founded", false),
      field({ name: "reason", label: L("复查理由", "Reason"), type: "textarea", rows: 3, required: true })],
    (v) => call("POST", path("finding"), { body: { finding: v.finding, reason: v.reason } })]);
  }
  if (acts.length) {
    put(view, section(L("办理", "Act"), acts.map(([key, label, fields, submit], i) => h("details", { class: "act", open: i === 0 || null, "data-action": key },
      h("summary", {}, label), actionForm({ fields, submitText: label, submit, done: reload })))));
  }
  if ((c.history || []).length) {
    put(view, section(L("处理记录", "History"), h("ol", { class: "timeline" }, c.history.map((x) => h("li", {}, h("span", { class: "when" }, fmtTime(x.at)), h("strong", {}, pick(COMPLAINT_ACTIONS, x.action, x.action)), ` ${x.by || ""} ${x.text || ""}`)))));
  }
}

export async function render(view, ctx) {
  if (ctx.page === "complaint" && ctx.args[0]) await detail(view, ctx);
  else await list(view, ctx);
  return { title: L("投诉处理", "Complaints") };
}
