// 规范性文件 (#/normdocs): filings with their filing deadline, registration (or a hold naming the
// missing parts), the review outcome; departments file and supplement, the legal office acts.
import { L } from "../../shared/i18n.js";
import { choices, field } from "../../shared/forms.js";
import { fmtDay, h, pick, put, shanghaiDay } from "../../shared/util.js";
import { call, deptScoped, holds, user } from "../session.js";
import { NORMDOC_STATUS } from "../names.js";
import { actionForm, heading, listing, section, tag } from "../ui.js";

const PARTS = { filing_report: ["备案报告", "Filing report"], official_text: ["正式文本", "Official text"], explanatory_note: ["起草说明", "Explanatory note"],
  legal_office_opinion: ["法制机构审核意见", "Legal review opinion"], effect_gap_reason: ["公布与施行间隔不足 30 日的说明", "Reason for a short effect gap"] };

function card(d, ctx) {
  const reload = async () => { ctx.working(); ctx.rerender(); };
  const path = (a) => `/legal/normative-documents/${encodeURIComponent(d.id)}/${a}`;
  const el = h("article", { class: "card", "data-doc": d.id },
    h("h3", {}, d.title, " ", tag(pick(NORMDOC_STATUS, d.status, d.status), d.status === "ok" || d.status === "registered" ? "ok" : d.status === "filed" ? "warn" : "red"), d.overdue_filing ? [" ", tag(L("报备超期", "filed late"), "red")] : null),
    h("p", { class: "small muted" }, L(`${d.doc_no} · ${d.dept_name || d.dept_code} · ${fmtDay(d.published_on)} 公布，${fmtDay(d.effective_on)} 施行 · ${fmtDay(d.filed_on)} 报备（期限 ${fmtDay(d.filing_deadline)}）`,
      `${d.doc_no} · ${d.dept_name || d.dept_code} · published ${fmtDay(d.published_on)}, effective ${fmtDay(d.effective_on)} · filed ${fmtDay(d.filed_on)} (due ${fmtDay(d.filing_deadline)})`)),
    h("p", { class: "small" }, L("材料：", "Parts: "), Object.keys(PARTS).map((k) => (d.parts && d.parts[k] ? `✓${pick(PARTS, k)}` : `✗${pick(PARTS, k)}`)).join("　")),
    d.hold ? h("p", { class: "notice warn" }, L(`暂缓登记：缺 ${(d.hold.missing || []).map((k) => pick(PARTS, k, k)).join("、")}，补报期限 ${fmtDay(d.hold.deadline)}`, `Held: missing ${(d.hold.missing || []).join(", ")}, supplement by ${fmtDay(d.hold.deadline)}`)) : null,
    d.review ? h("p", { class: "notice" }, L(`审查结论：${pick(NORMDOC_STATUS, d.review.outcome, d.review.outcome)}`, `Review: ${d.review.outcome}`), (d.review.findings || []).map((f) => h("span", { class: "small" }, ` · ${f.text}`))) : null);
  if (holds("legal") && (d.status === "filed" || d.status === "held")) {
    put(el, h("details", { class: "act" }, h("summary", {}, L("登记", "Register")), actionForm({ fields: [field({ name: "note", label: L("备注", "Note") })], submitText: L("登记", "Register"),
      submit: (v) => call("POST", path("register"), { body: { on: shanghaiDay(), ...(v.note ? { note: v.note } : {}) } }), done: reload })));
    put(el, h("details", { class: "act" }, h("summary", {}, L("暂缓登记", "Hold")), actionForm({
      fields: [choices({ name: "missing", type: "checkbox", legend: L("缺少的材料", "Missing parts"), choices: Object.keys(PARTS).map((k) => [k, pick(PARTS, k)]) }),
        field({ name: "deadline", label: L("补报期限", "Supplement by"), type: "date", required: true })],
      submitText: L("暂缓登记", "Hold"), submit: (v) => call("POST", path("hold"), { body: { on: shanghaiDay(), missing: v.missing, deadline: v.deadline } }), done: reload })));
  }
  if (holds("legal") && d.status === "registered") {
    put(el, h("details", { class: "act" }, h("summary", {}, L("审查", "Review")), actionForm({
      fields: [choices({ name: "outcome", legend: L("审查结论", "Outcome"), value: "ok", choices: [["ok", L("通过", "Passes")], ["correction_requested", L("责令纠正", "Correction requested")], ["revoked", L("撤销", "Revoked")]] }),
        field({ name: "finding", label: L("审查意见（不通过时必填）", "Finding"), type: "textarea", rows: 3 })],
      submitText: L("提交审查结论", "Submit"),
      submit: (v) => call("POST", path("review"), { body: { on: shanghaiDay(), outcome: v.outcome, findings: v.finding ? [{ point: "other", text: v.finding }] : [] } }), done: reload })));
  }
  if (holds("handler", "dept_head", "dept_supervision") && d.status === "held") {
    put(el, h("details", { class: "act" }, h("summary", {}, L("补报材料", "Supplement")), actionForm({
      fields: (d.hold.missing || []).map((k) => field({ name: `parts.${k}`, label: pick(PARTS, k, k), type: "textarea", rows: 3 })),
      submitText: L("补报", "Supplement"),
      submit: (v) => call("POST", path("supplement"), { body: { parts: Object.fromEntries(Object.entries(v).filter(([k, x]) => k.startsWith("parts.") && x).map(([k, x]) => [k.slice(6), x])) } }), done: reload })));
  }
  return el;
}

export async function render(view, ctx) {
  put(view, ...heading(L("规范性文件备案审查", "Normative documents"), L("规范性文件公布后 30 日内报送备案；材料齐全的登记，不全的暂缓登记并限期补报；法制办审查后作出结论。", "File within 30 days of publication; complete filings are registered, others held; the legal office reviews.")));
  const { node } = await listing(ctx, {
    path: "/legal/normative-documents",
    filters: [...(deptScoped() ? [] : [{ name: "dept_code", label: L("部门代码", "Department"), inputmode: "numeric" }]),
      { name: "status", label: L("状态", "Status"), options: Object.keys(NORMDOC_STATUS).map((k) => [k, pick(NORMDOC_STATUS, k)]) }],
    emptyText: L("没有符合条件的备案。", "No filings match."),
    renderItems: (items) => h("div", { id: "normdoc-list" }, items.map((d) => card(d, ctx))),
  });
  put(view, node);
  if (holds("handler", "dept_head", "dept_supervision", "legal")) {
    const u = user();
    put(view, section(L("报送备案", "File a document"), actionForm({
      id: "normdoc-form",
      fields: [h("div", { class: "row2" }, field({ name: "doc_no", label: L("文号", "Number"), required: true, placeholder: "徐政规〔2026〕3号" }), field({ name: "dept_code", label: L("制定机关（部门代码）", "Issuer"), value: u.dept_code || "", required: true })),
        field({ name: "title", label: L("标题", "Title"), required: true }),
        h("div", { class: "row2" }, field({ name: "published_on", label: L("公布日期", "Published"), type: "date", required: true }), field({ name: "effective_on", label: L("施行日期", "Effective"), type: "date", required: true })),
        ...Object.keys(PARTS).map((k) => field({ name: `parts.${k}`, field: `parts.${k}`, label: pick(PARTS, k), type: "textarea", rows: 2 }))],
      submitText: L("报送备案", "File"),
      submit: (v) => call("POST", "/legal/normative-documents", { body: { doc_no: v.doc_no, dept_code: v.dept_code, title: v.title, published_on: v.published_on, effective_on: v.effective_on,
        parts: Object.fromEntries(Object.entries(v).filter(([k, x]) => k.startsWith("parts.") && x).map(([k, x]) => [k.slice(6), x])) } }),
      done: async () => { ctx.working(); ctx.rerender(); },
    })));
  }
  return { title: L("规范性文件", "Normative documents") };
}
