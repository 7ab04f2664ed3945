// 咨询答复 (#/consultations): citizens' questions to the department, with the answer deadline; the
// department answers in place. (The supervision bureau reads them all.)
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { fmtDay, fmtTime, h, pick, put } from "../../shared/util.js";
import { call, deptScoped, holds } from "../session.js";
import { CONSULTATION_STATUS } from "../names.js";
import { actionForm, heading, listing, tag } from "../ui.js";
import { deptLabel } from "../depts.js";

function card(c, ctx) {
  const el = h("article", { class: "card", "data-id": c.consultation_no },
    h("h3", {}, h("span", { class: "code" }, c.consultation_no), " ", tag(pick(CONSULTATION_STATUS, c.status, c.status), c.status === "open" ? (c.answer_overdue ? "red" : "warn") : "ok")),
    h("p", { class: "pre-line" }, c.question),
    h("p", { class: "small muted" }, L(`${deptLabel(c.dept_code)}${c.item_code ? ` · 事项 ${c.item_code}` : ""} · 收到 ${fmtTime(c.received_at)} · 应于 ${fmtDay(c.answer_deadline)} 前答复`,
      `${deptLabel(c.dept_code)} · received ${fmtTime(c.received_at)} · answer by ${fmtDay(c.answer_deadline)}`), c.answer_overdue ? h("strong", { class: "light-red" }, L("（已逾期）", " (overdue)")) : null));
  if (c.answer) put(el, h("p", { class: "notice" }, h("strong", {}, L("答复：", "Answer: ")), c.answer.text, h("span", { class: "small muted" }, ` — ${c.answer.by || ""} ${fmtTime(c.answer.at)}`)));
  if (c.status === "open" && holds("handler", "dept_head", "dept_supervision")) {
    put(el, h("details", { class: "act", "data-action": "answer" }, h("summary", {}, L("答复", "Answer")), actionForm({
      fields: [field({ name: "answer", label: L("答复内容", "Answer"), type: "textarea", rows: 4, required: true })],
      submitText: L("提交答复", "Send answer"),
      submit: (v) => call("POST", `/consultations/${encodeURIComponent(c.consultation_no)}/answer`, { body: { answer: v.answer } }),
      done: async () => { ctx.working(); ctx.rerender(); },
    })));
  }
  return el;
}

export async function render(view, ctx) {
  put(view, ...heading(L("咨询答复", "Consultations"), L("群众通过网上政务大厅提出的咨询，须在期限内答复。", "Questions from the hall, to answer in time.")));
  const filters = [
    { name: "status", label: L("状态", "Status"), options: Object.keys(CONSULTATION_STATUS).map((s) => [s, pick(CONSULTATION_STATUS, s, s)]) },
    ...(deptScoped() ? [] : [{ name: "dept_code", label: L("部门代码", "Department"), inputmode: "numeric" }]),
    { name: "overdue", label: L("逾期", "Overdue"), options: [["true", L("仅看逾期", "Overdue only")]] },
  ];
  const { node } = await listing(ctx, {
    path: "/consultations", filters, emptyText: L("没有符合条件的咨询。", "No consultations match."),
    renderItems: (items) => h("div", { id: "consultation-list" }, items.map((c) => card(c, ctx))),
  });
  put(view, node);
  return { title: L("咨询答复", "Consultations") };
}
