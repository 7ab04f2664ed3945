// 投诉咨询查询: a complaint's progress or a consultation's answer by its number and query code; the
// complainant rates the handling of a concluded complaint here.
import { api } from "../data.js";
import { busy, choices, field, showErrors, val, validate } from "../forms.js";
import { L } from "../i18n.js";
import { RATINGS, fmtDay, fmtTime, h, pick, put, swap } from "../util.js";

const KINDS = { complaint: ["投诉", "Complaint"], consultation: ["咨询", "Question"] };
const COMPLAINT_STATUS = {
  received: ["已收到，待决定是否受理", "Received, awaiting a decision"],
  accepted: ["已受理，正在核查", "Accepted, being investigated"],
  rejected: ["不予受理", "Not accepted"],
  transferred: ["已转办部门处理", "Passed to the department"],
  replied: ["部门已答复，待办结", "Department replied"],
  concluded: ["已办结", "Concluded"],
};
const CONSULT_STATUS = { open: ["待答复", "Awaiting an answer"], answered: ["已答复", "Answered"] };

function kv(rows) {
  return h("dl", { class: "kv" }, rows.filter(Boolean).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function ratingForm(no, code, onRated) {
  const form = h("form", { novalidate: true, id: "rating-form", class: "card" },
    h("h3", {}, L("评价投诉处理情况", "Rate how your complaint was handled")),
    choices({ name: "rating", id: "complaint-rating", legend: L("满意度", "Your rating"), required: true,
      choices: Object.keys(RATINGS).map((k) => [k, pick(RATINGS, k)]) }),
    field({ name: "comment", id: "complaint-rating-comment", label: L("意见（选填）", "Comment (optional)"), type: "textarea", rows: 3, maxlength: 500 }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("提交评价", "Submit rating"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const details = validate(form);
    if (details.length) {
      showErrors(form, details);
      return;
    }
    const body = { code, rating: val(form, "rating") };
    if (val(form, "comment")) body.comment = val(form, "comment");
    busy(form, true);
    const res = await api("POST", `/complaints/${encodeURIComponent(no)}/rating`, { body });
    busy(form, false);
    if (!res.ok) {
      showErrors(form, res.error.details, res.error.message);
      return;
    }
    onRated(res.data);
  });
  return form;
}

function complaintView(c, code, redraw) {
  const decision = c.decision;
  const rows = [
    [L("投诉编号", "Complaint number"), h("span", { class: "code", id: "track-no" }, c.complaint_no)],
    [L("投诉类别", "Type"), c.category_name || c.category],
    [L("当前状态", "Status"), h("span", { class: `status ${c.status}`, id: "track-status" }, pick(COMPLAINT_STATUS, c.status, c.status))],
    [L("收到时间", "Received"), fmtTime(c.received_at)],
    [L("受理决定期限", "Decision due by"), fmtDay(c.accept_deadline, true)],
    decision ? [L("受理决定", "Decision"), `${decision.decision === "accept" ? L("受理", "Accepted") : L("不予受理", "Not accepted")}（${fmtTime(decision.at)}）${decision.reason ? `：${decision.reason}` : ""}`] : null,
    c.transferred_at ? [L("转办部门", "Passed to the department"), L(`${fmtTime(c.transferred_at)}，答复期限 ${fmtDay(c.reply_deadline)}`, `${fmtTime(c.transferred_at)}, reply due ${c.reply_deadline}`)] : null,
  ];
  const parts = [h("h2", { id: "track-title" }, L("投诉处理情况", "Your complaint")), kv(rows)];
  if (c.result) {
    parts.push(h("h3", {}, L("处理结果", "Outcome")),
      h("div", { class: "card", id: "track-result" }, h("p", { class: "pre-line" }, c.result.text), h("p", { class: "muted small" }, fmtTime(c.result.at))));
  }
  if (c.rating) {
    parts.push(h("p", { id: "track-rated", class: "notice" }, L(`您已于 ${fmtTime(c.rating.at)} 评价：${pick(RATINGS, c.rating.rating)}。`,
      `You rated the handling “${pick(RATINGS, c.rating.rating)}” on ${fmtTime(c.rating.at)}.`)));
  } else if (c.status === "concluded") {
    parts.push(ratingForm(c.complaint_no, code, redraw));
  } else {
    parts.push(h("p", { class: "muted" }, L("投诉办结后，可在此对处理情况进行评价。", "Once the complaint is concluded you can rate the handling here.")));
  }
  return parts;
}

function consultationView(c) {
  return [
    h("h2", { id: "track-title" }, L("咨询答复", "Your question")),
    kv([
      [L("咨询编号", "Reference"), h("span", { class: "code", id: "track-no" }, c.consultation_no)],
      [L("当前状态", "Status"), h("span", { class: `status ${c.status}`, id: "track-status" }, pick(CONSULT_STATUS, c.status, c.status))],
      [L("咨询内容", "Question"), h("span", { class: "pre-line" }, c.question)],
      [L("答复期限", "Answer due by"), fmtDay(c.answer_deadline, true)],
    ]),
    c.answer
      ? h("div", { class: "card", id: "track-answer" }, h("h3", {}, L("部门答复", "The department's answer")),
        h("p", { class: "pre-line" }, c.answer), h("p", { class: "muted small" }, fmtTime(c.answered_at)))
      : h("p", { class: "muted" }, L("部门尚未答复，请在答复期限后再查询。", "No answer yet; please check again by the due date.")),
  ];
}

export async function render(view, ctx) {
  const title = L("投诉咨询查询", "Follow a complaint or question");
  const out = h("section", { id: "track-result-box", "aria-live": "polite" });
  const kind = ctx.params.get("kind") === "consultation" ? "consultation" : "complaint";
  const form = h("form", { novalidate: true, class: "card" },
    choices({ name: "kind", id: "track-kind", legend: L("查询类型", "What to follow"), required: true, value: kind,
      choices: Object.keys(KINDS).map((k) => [k, pick(KINDS, k)]) }),
    field({ name: "no", id: "track-number", label: L("投诉或咨询编号", "Complaint or question number"), required: true,
      value: ctx.params.get("no") || "", autocomplete: "off", spellcheck: false, maxlength: 40 }),
    field({ name: "code", id: "track-code", label: L("查询码", "Query code"), required: true, autocomplete: "off", spellcheck: false,
      maxlength: 32, hint: L("提交时显示的 8 位查询码。", "The 8-character code shown when you submitted.") }),
    h("button", { type: "submit", class: "btn" }, L("查询", "Search")));
  const show = async () => {
    const details = validate(form);
    if (details.length) {
      showErrors(form, details);
      return;
    }
    const which = val(form, "kind") || "complaint";
    const no = val(form, "no");
    const code = val(form, "code");
    busy(form, true);
    const res = await api("GET", `/${which === "consultation" ? "consultations" : "complaints"}/${encodeURIComponent(no)}`, { query: { code } });
    busy(form, false);
    if (!ctx.alive()) return;
    if (!res.ok) {
      swap(out);
      const message = res.status === 404 ? L("未找到记录或查询码错误", "Nothing found, or the code is wrong") : res.error.message;
      showErrors(form, [], message);
      return;
    }
    form.querySelector(".error-summary")?.remove();
    ctx.setParams({ kind: which, no });
    swap(out, which === "consultation" ? consultationView(res.data) : complaintView(res.data, code, () => show()));
    out.querySelector("h2")?.setAttribute("tabindex", "-1");
    out.querySelector("h2")?.focus();
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    show();
  });
  put(view, h("h1", {}, title),
    h("p", { class: "lead" }, L("凭提交时取得的编号和查询码，查看投诉的受理和处理结果、咨询的答复，并评价投诉处理情况。",
      "With the number and code you were given, follow a complaint's decision and outcome, read an answer, and rate the handling.")),
    form, out);
  return { title };
}
