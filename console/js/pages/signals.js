// 监察信号 (#/signals) and 法制监督发现 (#/findings): filters in the URL, each record with its case,
// its deadlines, its history, the department's explanation form (with the reply deadline) and the
// supervisor's (or the legal office's) disposition.
import { L } from "../../shared/i18n.js";
import { field, choices } from "../../shared/forms.js";
import { fmtDay, fmtTime, h, pick, put, route } from "../../shared/util.js";
import { call, deptScoped, holds } from "../session.js";
import { CHECKS, DISPOSITIONS, RECORD_ACTIONS, RECORD_STATUS, RULES } from "../names.js";
import { actionForm, heading, light, listing, tag } from "../ui.js";
import { deptLabel } from "../depts.js";
import { riskTag } from "./risk.js";

/** The 廉政风险点 a record names (of the case's bound item version): level, step, description, controls. */
function riskPoints(rec) {
  const points = rec.risk_points || [];
  if (!points.length) return null;
  const id = `risk-${rec.signal_id || rec.finding_id}`;
  return h("section", { class: "risk-points", "aria-labelledby": id },
    h("h4", { id }, L("关联廉政风险点", "Integrity risk points named")),
    h("ul", {}, points.map((p) => h("li", { "data-level": String(p.level) },
      riskTag(p.level), " ",
      h("strong", {}, L(`环节 ${p.step_code}${p.step_name ? `「${p.step_name}」` : ""}：`, `Step ${p.step_code}${p.step_name ? ` (${p.step_name})` : ""}: `)), p.description,
      (p.controls || []).length ? h("div", { class: "small" }, L("防控措施：", "Controls: "), p.controls.join("；")) : null,
      p.responsible_role ? h("div", { class: "small muted" }, L(`责任岗位：${p.responsible_role}`, `Responsible post: ${p.responsible_role}`)) : null))));
}

function recordCard(kind, rec, ctx) {
  const isSig = kind === "signals";
  const id = isSig ? rec.signal_id : rec.finding_id;
  const code = isSig ? rec.rule : rec.check;
  const name = pick(isSig ? RULES : CHECKS, code, "");
  const card = h("article", { class: "card record", "data-id": id, "aria-labelledby": `r-${id}` },
    h("h3", { id: `r-${id}` }, light(rec.level, `${code} ${name}`), " ", tag(pick(RECORD_STATUS, rec.status, rec.status), rec.status === "closed" ? "ok" : rec.status === "open" ? "red" : "warn")),
    h("p", {}, rec.message),
    riskPoints(rec),
    h("p", { class: "small muted" },
      rec.rule === "R15" ? L("申请 ", "Request ") : L("办件 ", "Case "),
      rec.case_no ? h("a", { href: route(rec.rule === "R15" ? "disclosure-request" : "case", [rec.case_no]), class: "code" }, rec.case_no) : "—",
      L(` · ${deptLabel(rec.dept_code)} · 产生于 ${fmtTime(rec.raised_at)}`, ` · ${deptLabel(rec.dept_code)} · raised ${fmtTime(rec.raised_at)}`),
      rec.explain_by ? h("strong", { class: "deadline" }, L(` · 须于 ${fmtDay(rec.explain_by)} 前书面说明`, ` · explain by ${fmtDay(rec.explain_by)}`)) : null,
      rec.reply_deadline ? L(` · 监察局应于 ${fmtDay(rec.reply_deadline)} 前处理说明`, ` · to be answered by ${fmtDay(rec.reply_deadline)}`) : null));
  if (rec.explanation) put(card, h("blockquote", { class: "notice" }, h("strong", {}, L("部门说明：", "Explanation: ")), rec.explanation, h("span", { class: "small muted" }, ` — ${rec.explained_by || ""} ${fmtTime(rec.explained_at)}`)));
  if (rec.status === "closed") put(card, h("p", { class: "notice" }, h("strong", {}, pick(DISPOSITIONS, rec.disposition, rec.disposition || "")), "：", rec.disposition_reason || "", h("span", { class: "small muted" }, ` — ${rec.closed_by || ""} ${fmtTime(rec.closed_at)}`)));
  const base = isSig ? "/supervision/signals" : "/legal/findings";
  const reload = async () => { ctx.working(); ctx.rerender(); };
  const acts = h("div", { class: "record-acts" });
  if (rec.status === "open" && holds("handler", "dept_head", "dept_supervision")) {
    put(acts, h("details", { class: "act", "data-action": "explain" }, h("summary", {}, L("书面说明", "Explain")),
      actionForm({
        fields: [field({ name: "explanation", label: L("情况说明", "Explanation"), type: "textarea", rows: 4, required: true,
          hint: rec.explain_by ? L(`请于 ${fmtDay(rec.explain_by)} 前提交；监察局收到后 5 个工作日内处理。`, `Due by ${fmtDay(rec.explain_by)}; answered within 5 working days.`) : L("监察局收到后 5 个工作日内处理。", "Answered within 5 working days.") })],
        submitText: L("提交说明", "Submit explanation"),
        submit: (v) => call("POST", `${base}/${encodeURIComponent(id)}/explanation`, { body: { explanation: v.explanation } }),
        done: reload,
      })));
  }
  const disposer = isSig ? holds("supervisor") : holds("legal");
  if (rec.status !== "closed" && disposer) {
    put(acts, h("details", { class: "act", "data-action": "dispose" }, h("summary", {}, L("处理（关闭）", "Dispose")),
      actionForm({
        fields: [choices({ name: "decision", legend: L("处理结论", "Decision"), value: "accept", choices: [["accept", L("采纳说明，关闭", "Accept and close")], ["reject", L("不予采纳，关闭并记录", "Reject and close")]] }),
          field({ name: "reason", label: L("理由", "Reason"), type: "textarea", rows: 3, required: true })],
        submitText: L("确认处理", "Dispose"),
        submit: (v) => call("POST", `${base}/${encodeURIComponent(id)}/disposition`, { body: { decision: v.decision, reason: v.reason } }),
        done: reload,
      })));
  }
  if ((rec.history || []).length) {
    put(acts, h("details", { class: "act" }, h("summary", {}, L("处理记录", "History")),
      h("ul", { class: "small" }, rec.history.map((x) => h("li", {}, `${fmtTime(x.at)} ${x.by} ${pick(RECORD_ACTIONS, x.action, x.action)}：${x.text || ""}`)))));
  }
  if (acts.childNodes.length) put(card, acts);
  return card;
}

export async function render(view, ctx) {
  const kind = ctx.page === "findings" ? "findings" : "signals";
  const isSig = kind === "signals";
  const title = isSig ? L("监察信号", "Supervision signals") : L("法制监督发现", "Legal findings");
  put(view, ...heading(title, isSig
    ? L("由数据流和定时巡查自动产生的黄牌、红牌。部门须对信号作出书面说明，监察局处理后关闭。", "Yellow and red signals raised from the event stream and the sweep. The department explains; the bureau disposes.")
    : L("法制监督检查 L1–L12 的发现。部门作出说明，法制办处理后关闭。", "Findings of the legality checks L1–L12. The department explains; the legal office disposes.")));
  const codes = Object.keys(isSig ? RULES : CHECKS).map((c) => [c, `${c} ${pick(isSig ? RULES : CHECKS, c, "")}`]);
  const filters = [
    { name: isSig ? "rule" : "check", label: isSig ? L("规则", "Rule") : L("检查项", "Check"), options: codes },
    { name: "level", label: L("等级", "Level"), options: [["red", L("红牌", "Red")], ["yellow", L("黄牌", "Yellow")]] },
    { name: "status", label: L("状态", "Status"), options: Object.keys(RECORD_STATUS).map((s) => [s, pick(RECORD_STATUS, s, s)]) },
    { name: "risk_level", label: L("廉政风险等级", "Risk level"), options: [["1", L("一级（高）", "Level 1 (high)")], ["2", L("二级（中）", "Level 2 (medium)")], ["3", L("三级（低）", "Level 3 (low)")], ["none", L("未关联风险点", "None")]] },
    ...(deptScoped() ? [] : [{ name: "dept_code", label: L("部门代码", "Department"), inputmode: "numeric", placeholder: "015" }]),
    { name: "case_no", label: L("办件编号", "Case number") },
  ];
  const { node } = await listing(ctx, {
    path: isSig ? "/supervision/signals" : "/legal/findings",
    filters, limit: 20,
    emptyText: isSig ? L("没有符合条件的监察信号。", "No signals match.") : L("没有符合条件的法制监督发现。", "No findings match."),
    renderItems: (items) => h("div", { class: "records", id: `${kind}-list` }, items.map((r) => recordCard(kind, r, ctx))),
  });
  put(view, node);
  return { title };
}
