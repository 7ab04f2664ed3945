// The forms of every action the runtime allows on a case (docs/CONTRACT.md §10): their fields, named by the
// API's field paths so a blocking check (阻断性校验) appears beside the field it concerns, and the
// request body each form sends. Discretion tiers stand beside the amount they govern.
import { L } from "../shared/i18n.js";
import { checkbox, choices, field } from "../shared/forms.js";
import { PENALTY_TYPES, RESULT_CODES, TIERS, fmtDay, fmtMoney, h, pick } from "../shared/util.js";
import { ACTIONS, DELIVERY_MODES } from "./names.js";
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

const NUMBERS = new Set(["result_code", "limit.value"]);
const INSTANTS = new Set(["requested_at", "noticed_at", "hearing_at"]);
const BOOLEANS = new Set(["requested"]);

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
  if (action === "open_case" && typeof out.officers === "string") out.officers = lines(out.officers);
  if (action === "hold_hearing" && !out.requested) return { action, requested: false };
  return out;
}

export function actionName(a) {
  return pick(ACTIONS, a, a);
}
