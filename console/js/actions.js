// The forms of every action the runtime allows on a case (docs/CONTRACT.md §10): their fields, named by the
// API's field paths so a blocking check (阻断性校验) appears beside the field it concerns, and the
// request body each form sends. Discretion tiers stand beside the amount they govern.
import { L } from "../shared/i18n.js";
import { checkbox, choices, field } from "../shared/forms.js";
import { PENALTY_TYPES, RESULT_CODES, TIERS, fmtDay, fmtMoney, h, pick } from "../shared/util.js";
import { ACTIONS, DELIVERY_MODES, DISPOSALS, SUSPEND_GROUNDS, TERMINATE_GROUNDS } from "./names.js";
import { toInstant } from "./ui.js";

const lines = (text) => String(text || "").split(/[\n，,；;]+/).map((s) => s.trim()).filter(Boolean);

/** The tiers of a penalty item beside the amount field; the tier holding the typed amount is marked. */
function tierAside(penalty, input, tierSelect) {
  if (!penalty) return null;
  const rows = (penalty.tiers || []).map((t) => h("tr", { "data-tier": t.tier },
    h("th", { scope: "row" }, pick(TIERS, t.tier, t.tier)),
    h("td", { class: "num" }, `${fmtMoney(t.min)} – ${fmtMoney(t.max)}`)));
  const aside = h("div", { class: "aside", "aria-live": "polite" },
    h("h3", {}, L("裁量基准", "Discretion tiers")),
    h("p", { class: "small" }, L(`法定幅度：${fmtMoney(penalty.fine_min)} – ${fmtMoney(penalty.fine_max)}`, `Statutory range: ${fmtMoney(penalty.fine_min)} – ${fmtMoney(penalty.fine_max)}`)),
    rows.length ? h("table", {}, h("caption", { class: "sr-only" }, L("裁量档次与金额范围", "Tiers and their ranges")), h("tbody", {}, rows)) : null,
    h("p", { class: "small tier-verdict" }));
  const verdict = aside.querySelector(".tier-verdict");
  const update = () => {
    const n = Number(input.value);
    const chosen = tierSelect ? tierSelect.value : "";
    let inTier = null;
    for (const tr of aside.querySelectorAll("tr[data-tier]")) {
      const t = (penalty.tiers || []).find((x) => x.tier === tr.dataset.tier);
      const hit = input.value !== "" && t && n >= Number(t.min) && n <= Number(t.max);
      tr.classList.toggle("chosen", !!hit);
      if (hit && !inTier) inTier = t.tier;
    }
    if (input.value === "") verdict.textContent = "";
    else if (n < Number(penalty.fine_min) || n > Number(penalty.fine_max)) verdict.textContent = L("金额超出法定幅度，提交将被阻止。", "Outside the statutory range: the decision will be blocked.");
    else if (chosen && inTier && chosen !== inTier) verdict.textContent = L("金额不在所选档次内：须写明理由并经集体讨论。", "Not in the chosen tier: a written reason and collective discussion are required.");
    else verdict.textContent = inTier ? L("金额在该档次范围内。", "Within that tier.") : "";
  };
  input.addEventListener("input", update);
  if (tierSelect) tierSelect.addEventListener("change", update);
  return aside;
}

function amountWithTiers(name, label, penalty, tierName) {
  const amount = field({ name, field: name, label, type: "number", inputmode: "decimal", hint: L("单位：元", "In yuan") });
  const tiers = (penalty && penalty.tiers) || [];
  const tier = field({ name: tierName, field: tierName === "proposed.tier" ? "proposed.tier" : "tier", label: L("裁量档次", "Discretion tier"),
    options: [["", L("请选择", "Choose")], ...tiers.map((t) => [t.tier, pick(TIERS, t.tier, t.tier)])] });
  const aside = tierAside(penalty, amount.querySelector("input"), tier.querySelector("select"));
  amount.querySelector("input").setAttribute("step", "0.01");
  amount.querySelector("input").setAttribute("min", "0");
  return h("div", { class: "beside" }, h("div", {}, amount, tier), aside);
}

function typesField(name, penalty) {
  const types = (penalty && penalty.types) || Object.keys(PENALTY_TYPES);
  return choices({ name, field: name, type: "checkbox", legend: L("处罚种类", "Penalty types"), choices: types.map((t) => [t, pick(PENALTY_TYPES, t, t)]) });
}

function officerChoices(name, officers, label, on) {
  if (!officers.length) return field({ name, field: name, label, hint: L("执法证号，多人用逗号分隔（本部门执法人员库为空）", "Officer ids, comma-separated") });
  return choices({
    name, field: name, type: "checkbox", legend: label,
    hint: L("须两名以上持有效执法证的本部门人员", "At least two officers of the department with valid certificates"),
    choices: officers.map((o) => {
      const valid = o.valid_from <= on && on <= o.valid_to;
      return [o.officer_id, `${o.name}（${o.officer_id}）`, { note: valid ? L(`证件有效至 ${fmtDay(o.valid_to)}`, `valid until ${fmtDay(o.valid_to)}`) : L(`证件 ${fmtDay(o.valid_from)}–${fmtDay(o.valid_to)}，今日无效`, `certificate ${fmtDay(o.valid_from)}–${fmtDay(o.valid_to)}: not valid today`) }];
    }),
  });
}

/**
 * The fields of one action. ctx: {item (bound version), view (case view), task, officers, today}.
 * Returns nodes; every control's name is the API field path.
 */
export function fields(action, ctx) {
  const item = ctx.item || {};
  const materials = (item.materials || []).map((m) => m.name);
  const fee = item.fee || {};
  switch (action) {
    case "accept":
      return [materials.length ? choices({ name: "materials", type: "checkbox", legend: L("已收材料", "Materials received"), value: materials, choices: materials.map((m) => [m, m]) }) : null,
        h("p", { class: "muted small" }, L(`受理后按承诺时限 ${item.promised_limit ? item.promised_limit.value : "—"} 个工作日计算办结期限。`, "The due date runs from acceptance on the promised limit."))];
    case "reject":
      return [field({ name: "reason", label: L("不予受理理由", "Reason for refusing"), type: "textarea", rows: 4, required: true, hint: L("必须书面说明理由并告知申请人（未说明理由将产生 R6 信号）", "A written reason is mandatory (R6)") })];
    case "request_supplement":
      return [choices({ name: "missing_materials", type: "checkbox", legend: L("需补正的材料（一次性告知全部）", "Missing materials (all at once)"), choices: materials.map((m) => [m, m]) }),
        field({ name: "missing_extra", field: "missing_materials", label: L("其他需补正的材料", "Other missing materials"), hint: L("每行一项", "One per line"), type: "textarea", rows: 2 }),
        field({ name: "reason", label: L("补正说明", "Explanation"), type: "textarea", rows: 3 })];
    case "receive_supplement": {
      const asked = ((ctx.view && ctx.view.supplements) || []).flatMap((s) => s.missing_materials || []);
      return [choices({ name: "materials", type: "checkbox", legend: L("收到的补正材料", "Supplements received"), value: asked, choices: (asked.length ? asked : materials).map((m) => [m, m]) })];
    }
    case "complete_step": {
      const step = (ctx.task && ctx.task.step) || {};
      return [h("p", {}, L(`当前环节：${step.name || "—"}（时限 ${step.limit_days ?? "—"} 个工作日）`, `Current step: ${step.name || "—"} (${step.limit_days ?? "—"} working days)`)),
        h("input", { type: "hidden", name: "step_code", value: step.code || "" }),
        choices({ name: "status", legend: L("结论", "Conclusion"), value: "approved", choices: [["approved", L("同意", "Approve")], ["objected", L("不同意", "Object")]] }),
        field({ name: "opinion", label: L("环节意见", "Opinion"), type: "textarea", rows: 4, required: true })];
    }
    case "return_step": {
      const step = (ctx.task && ctx.task.step) || {};
      return [h("p", {}, L(`将本件从「${step.name || "—"}」退回上一审批环节重新办理，理由记入办件记录。`, `Sends the case back from “${step.name || "—"}” to the previous review step; the reason is kept on the case.`)),
        field({ name: "reason", label: L("退回理由", "Reason for returning"), type: "textarea", rows: 3, required: true })];
    }
    case "start_special":
      return [choices({ name: "kind", legend: L("特别程序类型", "Kind"), value: "B", choices: [["A", L("A 延长审批（须批准人）", "A — extension (approver needed)")], ["B", L("B 其他（听证、专家评审、检验检测等，暂停计时）", "B — other (hearing, expert review…, pauses the clock)")]] }),
        field({ name: "name", label: L("程序名称", "Name"), placeholder: L("如：专家评审", "e.g. expert review") }),
        field({ name: "approver", label: L("批准人", "Approver") }),
        field({ name: "reason", label: L("理由", "Reason"), type: "textarea", rows: 3 }),
        h("div", { class: "row2" }, field({ name: "limit.value", field: "limit.value", label: L("时限（天数）", "Limit (days)"), type: "number", inputmode: "numeric" }),
          field({ name: "limit.unit", field: "limit.unit", label: L("计算方式", "Unit"), options: [["working_day", L("工作日", "Working days")], ["calendar_day", L("自然日", "Calendar days")]] }))];
    case "end_special": {
      const open = ((ctx.view && ctx.view.pauses) || []).filter((p) => !p.end);
      return [field({ name: "seq", label: L("结束哪一项特别程序", "Which procedure"), required: true, options: open.map((p) => [p.seq, `${p.seq}. ${p.name}（${fmtDay(p.start)} 起）`]) }),
        field({ name: "result", label: L("结果", "Result"), type: "textarea", rows: 3 })];
    }
    case "conclude":
      return [field({ name: "result_code", label: L("办结结果", "Result"), options: [0, 1, 2, 3, 4, 5].map((c) => [String(c), `${c} ${pick(RESULT_CODES, c)}`]) }),
        field({ name: "result_desc", label: L("结果说明", "Result description") }),
        field({ name: "reason", label: L("理由（不予许可、作废、退件等必填）", "Reason (required unless approved)"), type: "textarea", rows: 3 }),
        h("div", { class: "row2" }, field({ name: "cert_name", label: L("证照名称", "Licence name") }), field({ name: "cert_no", label: L("证照编号", "Licence number") })),
        field({ name: "fee_amount", label: L("收费金额（元）", "Fee (yuan)"), type: "number", inputmode: "decimal",
          hint: fee.charged ? L(`目录收费标准：${fmtMoney(fee.amount)}（${fee.basis || "依目录"}）`, `Catalog fee: ${fmtMoney(fee.amount)}`) : L("本事项不收费", "This item is free of charge") })];
    case "deliver":
      return [field({ name: "mode", label: L("送达方式", "Mode"), options: ["window", "mail", "electronic"].map((m) => [m, pick(DELIVERY_MODES, m, m)]) })];
    case "open_case":
      return [fieldsetParty(), field({ name: "cause", label: L("案由", "Cause"), type: "textarea", rows: 3, required: true }),
        officerChoices("officers", ctx.officers || [], L("承办执法人员", "Officers"), ctx.today),
        field({ name: "source", label: L("案件来源", "Source"), placeholder: L("如：日常检查、投诉举报", "e.g. inspection, report") })];
    case "notify":
      return [typesField("proposed.types", item.penalty), amountWithTiers("proposed.amount", L("拟罚款金额", "Proposed fine"), item.penalty, "proposed.tier"),
        checkbox({ name: "hearing_notified", label: L("已告知当事人有要求听证的权利", "The party was told of the right to a hearing") })];
    case "hold_hearing":
      return [choices({ name: "requested", legend: L("当事人是否申请听证", "Did the party ask for a hearing?"), value: "false", choices: [["false", L("未申请（期限内未提出）", "No")], ["true", L("申请了听证", "Yes")]] }),
        h("div", { class: "row2" },
          field({ name: "requested_at", label: L("申请时间", "Requested at"), type: "datetime-local" }),
          field({ name: "noticed_at", label: L("听证通知送达时间", "Notice served at"), type: "datetime-local" }),
          field({ name: "hearing_at", label: L("举行时间", "Held at"), type: "datetime-local" })),
        field({ name: "chair", label: L("主持人", "Chair"), options: [["", L("请选择", "Choose")], ...(ctx.officers || []).map((o) => [o.officer_id, `${o.name}（${o.officer_id}）`])], hint: L("不得由本案调查人员担任", "Not one of the case's investigators") }),
        field({ name: "result", label: L("听证结果", "Result"), type: "textarea", rows: 3 })];
    case "decide":
      return [field({ name: "decision_no", label: L("处罚决定书文号", "Decision number"), required: true, placeholder: "徐环罚〔2026〕12号" }),
        typesField("types", item.penalty), amountWithTiers("amount", L("罚款金额", "Fine"), item.penalty, "tier"),
        field({ name: "tier_reason", label: L("适用档次的理由", "Reason for the tier"), type: "textarea", rows: 3, hint: L("金额不在所选档次时必填，并须经集体讨论", "Required when the amount is outside the chosen tier") }),
        checkbox({ name: "collective_discussion", label: L("已经负责人集体讨论", "Decided in collective discussion") }),
        choices({ name: "basis_ids", type: "checkbox", legend: L("处罚依据", "Legal basis"), choices: (item.legal_basis || []).map((b) => [b.id, `${b.title}${b.article || ""}`]) })];
    case "serve":
      return [field({ name: "mode", label: L("送达方式", "Mode"), options: ["direct", "mail", "notice"].map((m) => [m, pick(DELIVERY_MODES, m, m)]) })];
    case "enforce":
      return [field({ name: "paid_amount", label: L("已缴罚款（元）", "Paid (yuan)"), type: "number", inputmode: "decimal" }),
        field({ name: "mode", label: L("执行方式", "Mode"), options: [["voluntary", L("自觉履行", "Voluntary")], ["compulsory", L("强制执行", "Compulsory")]] })];
    case "close":
      return [field({ name: "archive_no", label: L("归档号", "Archive number") })];
    // 行政强制 (行政强制法; the articles are in runtime/domain/coercion.py)
    case "approve_measure":
      return [field({ name: "measure", label: L("强制措施", "Measure"), value: (item.category_fields || {}).measure_type || "" }),
        field({ name: "reason", label: L("采取强制措施的理由和依据", "Reason and basis"), type: "textarea", rows: 3, required: true, hint: L("第十八条第一项：实施前须向行政机关负责人报告并经批准", "Art.18(1): approved by the head beforehand") }),
        checkbox({ name: "emergency", label: L("情况紧急，已当场实施，现补办批准（须在实施后 24 小时内，第十九条）", "Emergency: taken on the spot, approved within 24 hours (art.19)") }),
        field({ name: "implemented_at", label: L("当场实施时间", "Taken at"), type: "datetime-local" })];
    case "implement_measure":
      return [officerChoices("officers", ctx.officers || [], L("实施的执法人员", "Officers"), ctx.today),
        checkbox({ name: "certificates_shown", label: L("已出示执法身份证件（第十八条第三项）", "Certificates shown (art.18(3))") }),
        checkbox({ name: "informed", label: L("已当场告知理由、依据、权利和救济途径（第十八条第五项）", "Party told the reasons, basis, rights and remedies (art.18(5))") }),
        checkbox({ name: "statement_heard", label: L("已听取当事人的陈述和申辩（第十八条第六项）", "Statement and defence heard (art.18(6))") }),
        checkbox({ name: "record_made", label: L("已制作现场笔录（第十八条第七项）", "On-site record made (art.18(7))") }),
        choices({ name: "party_present", legend: L("当事人是否到场", "Was the party present?"), value: "true", choices: [["true", L("到场", "Present")], ["false", L("不到场（须有见证人）", "Absent (a witness signs)")]] }),
        field({ name: "witness", label: L("见证人", "Witness") }),
        field({ name: "goods", label: L("查封、扣押清单", "List of goods"), type: "textarea", rows: 3, hint: L("每行一项", "One per line") })];
    case "serve_measure":
      return [field({ name: "decision_no", label: L("查封、扣押决定书文号", "Decision number"), required: true }),
        field({ name: "term_days", label: L("期限（日）", "Term (days)"), type: "number", inputmode: "numeric", value: "30", hint: L("不得超过 30 日（第二十五条）；十日以内按工作日计算（第六十九条）", "At most 30 days (art.25)") }),
        field({ name: "mode", label: L("送达方式", "Mode"), options: ["direct", "mail", "notice"].map((m) => [m, pick(DELIVERY_MODES, m, m)]) })];
    case "dispose_measure":
      return [field({ name: "outcome", label: L("解除或处理", "Outcome"), options: Object.keys(DISPOSALS).map((k) => [k, pick(DISPOSALS, k, k)]) }),
        field({ name: "decision_no", label: L("处理决定书文号", "Decision number"), hint: L("没收、销毁须作出处理决定（第二十七条）；期限届满的应当解除（第二十八条）", "Confiscation needs a decision (art.27); once the term ends, release (art.28)") }),
        field({ name: "reason", label: L("理由", "Reason"), type: "textarea", rows: 3 })];
    case "extend_measure":
      return [field({ name: "days", label: L("延长日数", "Days"), type: "number", inputmode: "numeric", value: "30", hint: L("延长期限不得超过 30 日（第二十五条）", "At most 30 days (art.25)") }),
        field({ name: "approver", label: L("批准的行政机关负责人", "Approved by"), required: true }),
        field({ name: "reason", label: L("延长理由（情况复杂）", "Reason"), type: "textarea", rows: 3, required: true })];
    case "demand":
      return [field({ name: "decision_no", label: L("据以执行的行政决定文号", "Decision being enforced"), required: true }),
        field({ name: "period_days", label: L("履行期限（日）", "Period (days)"), type: "number", inputmode: "numeric", value: "10", hint: L("十日以内按工作日计算（第六十九条）", "Up to 10 days: working days (art.69)") }),
        field({ name: "method", label: L("履行方式", "Method") }), field({ name: "amount", label: L("金额（元）", "Amount (yuan)"), type: "number", inputmode: "decimal" }),
        checkbox({ name: "rights_notified", label: L("催告书已载明当事人依法享有的陈述权和申辩权（第三十五条）", "The demand states the right to state and defend (art.35)") }),
        field({ name: "mode", label: L("送达方式", "Mode"), options: ["direct", "mail", "notice"].map((m) => [m, pick(DELIVERY_MODES, m, m)]) })];
    case "hear_statement":
      return [choices({ name: "made", legend: L("当事人是否陈述申辩", "Did the party state and defend?"), value: "false", choices: [["false", L("未提出", "No")], ["true", L("提出了", "Yes")]] }),
        field({ name: "content", label: L("陈述申辩的事实、理由和证据", "What the party said"), type: "textarea", rows: 3 }),
        checkbox({ name: "adopted", label: L("事实、理由或证据成立，予以采纳（第三十六条）", "Upheld (art.36)") }),
        checkbox({ name: "performed", label: L("当事人已履行义务", "The party has performed") }),
        field({ name: "opinion", label: L("复核意见", "Opinion"), type: "textarea", rows: 3 })];
    case "decide_enforcement":
      return [field({ name: "decision_no", label: L("强制执行决定书文号", "Decision number"), required: true }),
        field({ name: "method", label: L("强制执行方式", "Method") }),
        checkbox({ name: "immediate", label: L("催告期间有转移或者隐匿财物迹象，立即强制执行（第三十七条第三款）", "Immediate: goods being moved or hidden (art.37)") }),
        field({ name: "reason", label: L("理由", "Reason"), type: "textarea", rows: 3 })];
    case "execute":
      return [field({ name: "method", label: L("执行方式", "Method") }),
        officerChoices("officers", ctx.officers || [], L("执法人员", "Officers"), ctx.today),
        checkbox({ name: "emergency", label: L("情况紧急，须在夜间或法定节假日执行（第四十三条）", "Emergency at night or on a holiday (art.43)") }),
        field({ name: "reason", label: L("紧急情况说明", "Emergency"), type: "textarea", rows: 2 }),
        field({ name: "result", label: L("执行结果", "Result"), type: "textarea", rows: 3 })];
    case "suspend_enforcement":
      return [field({ name: "ground", label: L("中止情形（第三十九条）", "Ground (art.39)"), options: Object.keys(SUSPEND_GROUNDS).map((k) => [k, pick(SUSPEND_GROUNDS, k, k)]) }),
        field({ name: "reason", label: L("说明", "Details"), type: "textarea", rows: 2 })];
    case "resume_enforcement":
      return [field({ name: "reason", label: L("恢复执行的理由", "Reason"), type: "textarea", rows: 2 })];
    case "terminate_enforcement":
      return [field({ name: "ground", label: L("终结情形（第四十条）", "Ground (art.40)"), options: Object.keys(TERMINATE_GROUNDS).map((k) => [k, pick(TERMINATE_GROUNDS, k, k)]) }),
        field({ name: "reason", label: L("说明", "Details"), type: "textarea", rows: 2, required: true })];
    default:
      return [];
  }
}

function fieldsetParty() {
  return h("fieldset", { "data-field-wrap": "party" }, h("legend", {}, L("当事人", "Party")),
    choices({ name: "party.type", field: "party.type", legend: L("类型", "Type"), value: "org", choices: [["org", L("单位", "Organisation")], ["person", L("个人", "Person")]] }),
    field({ name: "party.name", field: "party.name", label: L("名称/姓名", "Name"), required: true }),
    h("div", { class: "row2" }, field({ name: "party.id_type", field: "party.id_type", label: L("证件类型", "ID type"), placeholder: L("统一社会信用代码", "Credit code") }),
      field({ name: "party.id_no", field: "party.id_no", label: L("证件号码", "ID number") })),
    checkbox({ name: "party.in_business", label: L("个体工商户或企业（经营性）", "In business") }));
}

const NUMBERS = new Set(["result_code", "limit.value", "term_days", "period_days", "days"]);
const INSTANTS = new Set(["requested_at", "noticed_at", "hearing_at", "implemented_at"]);
const BOOLEANS = new Set(["requested", "made", "party_present"]);

/** The request body of an action from its form's values (empty optional fields left out). */
export function body(action, v) {
  const out = { action };
  const set = (path, value) => {
    const parts = path.split(".");
    let o = out;
    for (const p of parts.slice(0, -1)) o = o[p] = o[p] || {};
    o[parts[parts.length - 1]] = value;
  };
  for (const [k, raw] of Object.entries(v)) {
    if (k === "missing_extra") continue;
    let value = raw;
    if (Array.isArray(value)) { if (!value.length && k !== "missing_materials") continue; }
    else if (typeof value === "boolean") { /* keep */ }
    else if (value === "") continue;
    else if (NUMBERS.has(k)) value = Number(value);
    else if (INSTANTS.has(k)) value = toInstant(value);
    else if (BOOLEANS.has(k)) value = value === "true";
    set(k, value);
  }
  if (action === "request_supplement") out.missing_materials = [...(out.missing_materials || []), ...lines(v.missing_extra)];
  if (["open_case", "implement_measure", "execute"].includes(action) && typeof out.officers === "string") out.officers = lines(out.officers);
  if (action === "implement_measure" && typeof out.goods === "string") out.goods = lines(out.goods);
  if (action === "hold_hearing" && !out.requested) return { action, requested: false };
  return out;
}

export function actionName(a) {
  return pick(ACTIONS, a, a);
}
