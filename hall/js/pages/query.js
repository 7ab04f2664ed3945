// 办件查询: a case's progress by case number and query password, with how its due date was computed.
import { api, departmentNames } from "../../shared/data.js";
import { busy, field, showErrors, val, validate } from "../../shared/forms.js";
import { L } from "../../shared/i18n.js";
import {
  CALENDAR_SOURCES, CASE_STATUS, EVENT_TYPES, RESULT_CODES, fmtDay, fmtTime, h, isoDay, parseDay, pick, put, route,
  shanghaiDay, swap, unitText,
} from "../../shared/util.js";

const MAX_STRIP_DAYS = 120;

function dayStrip(derivation, due) {
  const start = parseDay(derivation.start);
  const end = parseDay(due || (derivation.counted || []).slice(-1)[0]);
  if (!start || !end || end < start) return null;
  const days = Math.round((end - start) / 86400000);
  if (days > MAX_STRIP_DAYS) return null;
  const counted = new Map((derivation.counted || []).map((d, i) => [d, i + 1]));
  const excluded = new Set(derivation.excluded || []);
  const cells = [];
  for (let i = 0; i <= days; i += 1) {
    const iso = isoDay(new Date(start.getTime() + i * 86400000));
    const md = `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}`;
    let cls = "";
    let tag = L("休息日", "Day off");
    if (i === 0) {
      cls = "start";
      tag = L("受理日", "Accepted");
    } else if (excluded.has(iso)) {
      cls = "excluded";
      tag = L("暂停", "Paused");
    } else if (counted.has(iso)) {
      cls = iso === due ? "counted due" : "counted";
      tag = L(`第${counted.get(iso)}天`, `Day ${counted.get(iso)}`);
    }
    cells.push(h("li", { class: cls }, h("span", { class: "d" }, md), h("span", {}, tag),
      h("span", { class: "sr-only" }, ` ${fmtDay(iso, true)}`)));
  }
  return [
    h("ol", { class: "daystrip", "aria-label": L("从受理日到办结期限的逐日日历", "Day-by-day calendar from acceptance to the due date") }, cells),
    h("ul", { class: "legend", "aria-hidden": "true" },
      h("li", {}, h("span", { class: "sw", style: "background:#fff;border-style:dashed" }), L("受理日（不计入）", "Acceptance day (not counted)")),
      h("li", {}, h("span", { class: "sw", style: "background:#eaf0f8" }), L("计入的工作日", "Counted working day")),
      h("li", {}, h("span", { class: "sw", style: "background:#f1f2f4" }), L("周末或法定节假日", "Weekend or public holiday")),
      h("li", {}, h("span", { class: "sw", style: "background:#fdf3e6" }), L("特别程序暂停计时", "Paused (special procedure)")),
      h("li", {}, h("span", { class: "sw", style: "background:#9e1b1b" }), L("办结期限", "Due date"))),
  ];
}

function derivationSection(c) {
  const d = c.due_derivation;
  if (!d) {
    return h("p", {}, L("办件受理后开始计算办理期限。", "The time limit starts when the case is accepted."));
  }
  const counted = d.counted || [];
  const excluded = d.excluded || [];
  const source = pick(CALENDAR_SOURCES, d.source, d.source);
  return h("div", { id: "due-derivation" },
    d.explanation ? h("p", {}, d.explanation) : null,
    h("ul", {},
      h("li", {}, L(`起算：${fmtDay(d.start, true)} 受理，受理当日不计入。`, `Start: accepted ${fmtDay(d.start, true)}; that day is not counted.`)),
      h("li", {}, L(`承诺期限：${d.limit_value} ${unitText(d.unit, d.limit_value)}。`, `Promised limit: ${d.limit_value} ${unitText(d.unit, d.limit_value)}.`)),
      d.extension_days ? h("li", {}, L(`经批准延长：${d.extension_days} 个工作日。`, `Approved extension: ${d.extension_days} working days.`)) : null,
      excluded.length ? h("li", {}, L(`特别程序暂停计时 ${excluded.length} 天：${excluded.map((x) => fmtDay(x)).join("、")}。`,
        `Paused for ${excluded.length} day(s): ${excluded.join(", ")}.`)) : null,
      h("li", {}, L(`日历依据：${source}。`, `Calendar: ${source}.`)),
      h("li", {}, h("strong", {}, c.due
        ? L(`办结期限：${fmtDay(c.due, true)} 当日结束前。`, `Due: by the end of ${fmtDay(c.due, true)}.`)
        : L("办结期限：暂停计时中，恢复计时后确定。", "Due date: set when the paused clock resumes.")))),
    (c.warnings || []).length
      ? (c.warnings || []).map((w) => h("p", { class: "notice warn", role: "note" }, L(w,
        "Note: a year this due date counts has no published holiday schedule yet, so it counts Monday to Friday and may change.")))
      : (d.source === "weekends-only" ? h("p", { class: "notice warn", role: "note" }, L("注意：该年度官方节假日安排尚未发布，期限暂按周一至周五推算，发布后将重新计算。",
        "Note: the official holiday schedule for that year is not yet published, so the due date counts Monday to Friday and may change.")) : null),
    dayStrip(d, c.due),
    counted.length ? h("details", {}, h("summary", {}, L(`计入期限的 ${counted.length} 天`, `The ${counted.length} counted days`)),
      h("ol", { id: "counted-days" }, counted.map((x) => h("li", {}, fmtDay(x, true))))) : null);
}

function progress(c) {
  const d = c.due_derivation;
  if (!d) return null;
  if (d.paused) {
    return h("p", { class: "notice warn" }, L(
      `特别程序进行中，暂停计时；恢复计时后还需 ${d.remaining ?? "—"} ${unitText(d.unit, d.remaining)}。`,
      `A special procedure is under way and the clock is paused; ${d.remaining ?? "—"} ${unitText(d.unit, d.remaining)} remain once it resumes.`));
  }
  if (!c.due) return null;
  const total = (d.counted || []).length || d.limit_value;
  if (c.result) {
    const concluded = shanghaiDay(c.result.concluded_at);
    const onTime = concluded <= c.due;
    return h("p", {}, h("span", { class: `tag ${onTime ? "ok" : "red"}` }, onTime ? L("按期办结", "Concluded on time") : L("超期办结", "Concluded late")),
      " ", L(`办结日期 ${fmtDay(concluded)}，期限 ${fmtDay(c.due)}。`, `Concluded ${concluded}, due ${c.due}.`));
  }
  const today = shanghaiDay();
  const used = (d.counted || []).filter((x) => x <= today).length;
  const late = today > c.due;
  const pct = Math.min(100, Math.round((used / Math.max(1, total)) * 100));
  const unit = unitText(d.unit, total);
  return h("div", {},
    h("p", { id: "progress-label" }, late
      ? L(`已超过办结期限（${fmtDay(c.due)}）。`, `Past the due date (${c.due}).`)
      : L(`已用 ${used} / ${total} ${unit}，剩余 ${total - used} ${unit}。`, `${used} of ${total} ${unit} used, ${total - used} left.`)),
    h("div", { class: "progress-track", role: "img", "aria-labelledby": "progress-label" }, h("div", { class: `progress-fill${late ? " late" : ""}`, style: `width:${late ? 100 : pct}%` })));
}

function caseView(c, depts) {
  const status = c.status || "submitted";
  const rows = [
    [L("办件编号", "Case number"), h("span", { class: "code", id: "case-no" }, c.case_no)],
    [L("办理事项", "Item"), c.item_code ? h("a", { href: route("item", [c.item_code]) }, c.item_name || c.item_code) : (c.item_name || "—")],
    [L("办理部门", "Department"), c.dept_name || depts.get(c.dept_code) || c.dept_code || "—"],
    ...(c.service_point ? [[L("受理网点", "Service point"), h("span", { id: "case-point" }, `${c.service_point.name}（${c.service_point.kind_name}）`)]] : []),
    [L("申请人", "Applicant"), (c.applicant && c.applicant.name) || "—"],
    [L("当前状态", "Status"), h("span", { class: `status ${status}`, id: "case-status" }, pick(CASE_STATUS, status))],
    [L("申报时间", "Submitted"), fmtTime(c.submitted_at)],
    [L("受理时间", "Accepted"), fmtTime(c.accepted_at)],
    [L("承诺办结期限", "Promised due date"), c.due ? fmtDay(c.due, true)
      : (c.due_derivation && c.due_derivation.paused ? L("暂停计时中", "Clock paused") : L("受理后计算", "Set at acceptance"))],
    [L("法定办结期限", "Statutory due date"), c.statutory_due ? fmtDay(c.statutory_due, true) : "—"],
  ];
  if (c.result) {
    const named = pick(RESULT_CODES, c.result.code, c.result.desc || String(c.result.code));
    rows.push([L("办结结果", "Result"), `${named}${c.result.reason ? L(`：${c.result.reason}`, `: ${c.result.reason}`) : ""}`]);
    rows.push([L("办结时间", "Concluded"), fmtTime(c.result.concluded_at)]);
    if (c.result.cert_no) rows.push([L("证照编号", "Certificate no."), c.result.cert_no]);
  }
  const pauses = c.pauses || [];
  return h("section", { id: "case-result", "aria-labelledby": "case-title", tabindex: "-1" },
    h("h2", { id: "case-title" }, L("办件信息", "Case")),
    h("dl", { class: "kv" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    progress(c),
    h("h2", { id: "timeline-title" }, L("办理过程", "Progress")),
    (c.timeline || []).length
      ? h("ol", { class: "timeline", "aria-labelledby": "timeline-title" }, c.timeline.map((t) =>
        h("li", {}, h("time", { datetime: t.at }, fmtTime(t.at)), h("strong", {}, t.name || pick(EVENT_TYPES, t.type)))))
      : h("p", {}, L("暂无办理记录。", "No steps recorded yet.")),
    h("h2", {}, L("办结期限如何计算", "How the due date is computed")),
    derivationSection(c),
    h("h2", {}, L("暂停与延期", "Pauses and extensions")),
    pauses.length ? h("div", { class: "table-scroll", role: "region", "aria-label": L("暂停与延期", "Pauses and extensions"), tabindex: "0" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, L("类型", "Kind")), h("th", { scope: "col" }, L("名称", "Name")),
        h("th", { scope: "col" }, L("开始", "Start")), h("th", { scope: "col" }, L("结束", "End")))),
      h("tbody", {}, pauses.map((p) => h("tr", {},
        h("td", {}, p.kind === "A" ? L("延长审批期限", "Extension") : L("暂停计时（期间不计入期限）", "Paused (not counted)")),
        h("td", {}, p.name || "—"), h("td", {}, fmtDay(p.start)), h("td", {}, p.end ? fmtDay(p.end) : L("进行中", "Ongoing")))))))
      : h("p", {}, L("本办件没有暂停或延期。", "This case has no pauses or extensions.")),
    h("div", { class: "actions" },
      h("a", { class: "btn btn-secondary", href: route("evaluate", [], { case_no: c.case_no }) }, L("评价本次办理", "Rate this case")),
      h("a", { class: "btn btn-secondary", href: route("complaint", [], { dept: c.dept_code, case_no: c.case_no }) }, L("投诉", "Complain"))));
}

export async function render(view, ctx) {
  const title = L("办件查询", "Track a case");
  const out = h("div", {});
  const form = h("form", { novalidate: true, class: "card" },
    field({ name: "case_no", id: "query-case-no", label: L("办件编号", "Case number"), required: true, value: ctx.params.get("case_no") || "",
      autocomplete: "off", spellcheck: false, maxlength: 40 }),
    field({ name: "password", id: "query-password", label: L("查询密码", "Query password"), type: "password", required: true,
      autocomplete: "off", maxlength: 40, hint: L("申报成功时或受理通知书上提供的查询密码。", "Given when you applied, or on the acceptance notice.") }),
    h("button", { type: "submit", class: "btn" }, L("查询", "Search")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const details = validate(form);
    if (details.length) {
      showErrors(form, details);
      return;
    }
    const caseNo = val(form, "case_no");
    busy(form, true);
    const [res, depts] = await Promise.all([
      api("GET", `/cases/${encodeURIComponent(caseNo)}`, { query: { password: val(form, "password") } }),
      departmentNames(),
    ]);
    busy(form, false);
    if (!res.ok) {
      swap(out);
      const message = res.status === 404 ? L("未找到办件或查询密码错误", "No case found, or the password is wrong") : res.error.message;
      showErrors(form, [], message);
      return;
    }
    form.querySelector(".error-summary")?.remove();
    ctx.setParams({ case_no: caseNo });
    const section = caseView(res.data, depts);
    swap(out, section);
    section.focus();
  });
  put(view, h("h1", {}, title),
    h("p", { class: "lead" }, L("凭办件编号和查询密码查看办理进度、办结期限及其计算方法。", "Enter your case number and password to see progress and how the due date is computed.")),
    form, out);
  return { title };
}
