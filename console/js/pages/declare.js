// 事项申报 (#/declare, #/declare?code=… for a new version): the whole item in one form — basis,
// materials, limits, fee, steps, risk points, penalty terms with discretion tiers — sent to
// POST /catalog/items. The API reports every problem at once; each appears beside its field
// (``steps.1.limit_days``, ``penalty.tiers.2.max``…) and in the summary at the top.
import { L } from "../../shared/i18n.js";
import { busy, clearErrors, field, showErrors } from "../../shared/forms.js";
import { CATEGORY_FIELDS, CATEGORY_NAMES, PENALTY_TYPES, dashedCode, h, nextId, pick, put } from "../../shared/util.js";
import { call, user } from "../session.js";
import { failure, heading, section } from "../ui.js";

/** A labelled control for a repeated row, wired for errors by its API path. */
function cell(col, value) {
  const id = nextId("c");
  const err = h("p", { class: "field-error", id: `${id}-e` });
  let control;
  if (col.type === "checkbox") control = h("input", { id, type: "checkbox", checked: !!value, "aria-describedby": err.id });
  else if (col.options) control = h("select", { id, "aria-describedby": err.id }, col.options.map(([v, t]) => h("option", { value: v, selected: String(v) === String(value ?? "") }, t)));
  else control = h("input", { id, type: col.type || "text", value: value ?? "", inputmode: col.inputmode || null, "aria-describedby": err.id });
  control.dataset.key = col.key;
  return h("div", { class: `field rcell${col.type === "checkbox" ? " rcheck" : ""}` }, h("label", { for: id }, col.label), control, err);
}

/** Rows of the same shape (legal bases, materials, steps…) that can be added and removed. */
function repeater({ path, legend, columns, rows, addText, min = 0 }) {
  const box = h("div", { class: "rows" });
  const fs = h("fieldset", { class: "repeater", "data-field-wrap": path }, h("legend", {}, legend), h("p", { class: "field-error" }), box);
  const renumber = () => {
    [...box.children].forEach((row, i) => {
      row.dataset.fieldWrap = `${path}.${i}`;
      row.querySelector(".row-no").textContent = L(`第 ${i + 1} 项`, `#${i + 1}`);
      for (const c of row.querySelectorAll(".rcell")) c.dataset.fieldWrap = `${path}.${i}.${c.querySelector("[data-key]").dataset.key}`;
    });
  };
  const addRow = (values = {}) => {
    const remove = h("button", { type: "button", class: "btn btn-secondary btn-small" }, L("删除", "Remove"));
    const row = h("div", { class: "rrow" }, h("span", { class: "row-no muted small" }), columns.map((c) => cell(c, values[c.key] ?? c.default)), remove);
    remove.addEventListener("click", () => {
      if (box.children.length <= min) return;
      row.remove();
      renumber();
    });
    box.append(row);
    renumber();
    return row;
  };
  for (const r of rows.length ? rows : Array.from({ length: Math.max(min, 0) }, () => ({}))) addRow(r);
  const add = h("button", { type: "button", class: "btn btn-secondary btn-small" }, addText || L("添加一项", "Add"));
  add.addEventListener("click", () => addRow().querySelector("input, select").focus());
  put(fs, h("div", { class: "actions" }, add));
  fs.read = () => [...box.children].map((row) => {
    const o = {};
    for (const el of row.querySelectorAll("[data-key]")) {
      const col = columns.find((c) => c.key === el.dataset.key);
      let v = el.type === "checkbox" ? el.checked : el.value.trim();
      if (v === "" || v === null) continue;
      if (col.number) v = Number(v);
      if (col.list) v = String(v).split(/[；;\n]+/).map((s) => s.trim()).filter(Boolean);
      o[col.key] = v;
    }
    return o;
  }).filter((o) => Object.keys(o).some((k) => o[k] !== false && !(Array.isArray(o[k]) && !o[k].length)));
  return fs;
}

const UNITS = () => [["working_day", L("工作日", "working days")], ["calendar_day", L("自然日", "calendar days")]];

function limitFields(name, label, limit) {
  return h("fieldset", { "data-field-wrap": name }, h("legend", {}, label),
    h("div", { class: "row2" },
      field({ name: `${name}.value`, field: `${name}.value`, label: L("天数", "Days"), type: "number", inputmode: "numeric", value: limit ? String(limit.value) : "", required: true }),
      field({ name: `${name}.unit`, field: `${name}.unit`, label: L("计算方式", "Unit"), options: UNITS(), value: limit ? limit.unit : "working_day" })));
}

/** The category's own fields (奖励条件, 征收标准…), keeping what was typed when the category changes. */
function categoryFields(box, category, values) {
  for (const input of box.querySelectorAll("[name^='category_fields.']")) values[input.name.slice("category_fields.".length)] = input.value;
  const wanted = CATEGORY_FIELDS[category] || {};
  box.replaceChildren(...Object.entries(wanted).map(([key, pair]) => field({
    name: `category_fields.${key}`, field: `category_fields.${key}`, label: L(pair[0], pair[1]), type: "textarea", rows: 2,
    required: true, value: values[key] || "" })));
  box.closest("section").hidden = !Object.keys(wanted).length;
}

function build(form, parts, dept, base) {
  const v = (n) => (form.elements.namedItem(n) ? String(form.elements.namedItem(n).value || "").trim() : "");
  const list = (n) => v(n).split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean);
  const num = (n) => (v(n) === "" ? undefined : Number(v(n)));
  const body = {
    code: v("code"), name: v("name"), category: v("category"), dept_code: dept,
    legal_basis: parts.basis.read(), conditions: v("conditions"), materials: parts.materials.read(),
    statutory_limit: { value: num("statutory_limit.value"), unit: v("statutory_limit.unit") },
    promised_limit: { value: num("promised_limit.value"), unit: v("promised_limit.unit") },
    fee: { charged: form.elements.namedItem("fee.charged").checked },
    steps: parts.steps.read(), place: v("place"), phone: v("phone"), supervision_phone: v("supervision_phone"),
    risk_points: parts.risks.read(), keywords: list("keywords"), co_departments: list("co_departments"),
    special_procedures: list("special_procedures"),
  };
  // The category's fields as shown, over whatever else the version in force carries (e.g. preliminary_review).
  const known = new Set(Object.values(CATEGORY_FIELDS).flatMap((f) => Object.keys(f)));
  const kept = Object.fromEntries(Object.entries((base && base.category_fields) || {}).filter(([k]) => !known.has(k)));
  const shown = Object.fromEntries([...form.querySelectorAll("[name^='category_fields.']")].map((x) => [x.name.slice("category_fields.".length), x.value.trim()]));
  body.category_fields = { ...kept, ...shown };
  if (v("result_name")) body.result_name = v("result_name");
  if (body.fee.charged) {
    if (v("fee.amount")) body.fee.amount = Number(v("fee.amount"));
    if (v("fee.basis")) body.fee.basis = v("fee.basis");
  }
  body.penalty = null;
  if (body.category === "CF") {
    const types = [...form.querySelectorAll("input[name='penalty.types']:checked")].map((x) => x.value);
    body.penalty = { types, tiers: parts.tiers.read(), case_limit_days: num("penalty.case_limit_days") ?? 90 };
    body.summary_procedure = form.elements.namedItem("summary_procedure").checked;
    if (v("penalty.fine_min")) body.penalty.fine_min = Number(v("penalty.fine_min"));
    if (v("penalty.fine_max")) body.penalty.fine_max = Number(v("penalty.fine_max"));
    if (v("penalty.violation")) body.penalty.violation = v("penalty.violation");
  }
  return body;
}

export async function render(view, ctx) {
  const u = user();
  const code = ctx.params.get("code");
  let base = null;
  if (code) {
    const r = await call("GET", `/catalog/items/${encodeURIComponent(code)}`);
    if (!r.ok) {
      put(view, ...heading(L("申报新版本", "Declare a new version")), failure(r.error));
      return { title: L("事项申报", "Declare") };
    }
    base = r.data;
  }
  put(view, ...heading(base ? L(`申报新版本：${base.name}`, `New version: ${base.name}`) : L("申报新事项", "Declare a new item"),
    base ? L(`以现行第 ${base.version} 版为基础修改，提交后由法制办确认并确定施行日期。`, `Starts from version ${base.version}; the legal office confirms it and sets the date it takes effect.`)
      : L("填写事项的全部信息，提交后由法制办确认。编码为 16 位：区划(6)+部门(3)+类别(2)+序号(3)+子项(2)。", "Fill in the whole item; the legal office confirms it. Codes have 16 characters: region, department, category, sequence, sub-item.")));
  const b = base || {};
  const cats = Object.keys(CATEGORY_NAMES).map((c) => [c, `${c} ${pick(CATEGORY_NAMES, c, c)}`]);
  const parts = {
    basis: repeater({ path: "legal_basis", legend: L("法律依据（至少一项）", "Legal basis (at least one)"), min: 1, rows: b.legal_basis || [],
      columns: [{ key: "id", label: L("依据编号", "Id") }, { key: "title", label: L("法律法规名称", "Title") }, { key: "article", label: L("条款", "Article") }] }),
    materials: repeater({ path: "materials", legend: L("申请材料", "Materials"), rows: b.materials || [],
      columns: [{ key: "name", label: L("材料名称", "Name") }, { key: "required", label: L("必需", "Required"), type: "checkbox", default: true }, { key: "note", label: L("说明", "Note") }] }),
    steps: repeater({ path: "steps", legend: L("内部流程环节（至少一项，最后一环由部门负责人批准）", "Internal steps (the last is approved by the head)"), min: 1, rows: b.steps || [],
      columns: [{ key: "code", label: L("环节代码", "Code") }, { key: "name", label: L("环节名称", "Name") }, { key: "limit_days", label: L("时限（工作日）", "Limit (wd)"), type: "number", number: true }, { key: "post", label: L("岗位", "Post") }] }),
    risks: repeater({ path: "risk_points", legend: L("廉政风险点（所在环节、风险等级、防控措施；关联规则可空，空则该环节的所有信号均关联此风险点）", "Risk points (rules optional: without them every signal on the step names the point)"), rows: (b.risk_points || []).map((r) => ({ ...r, controls: (r.controls || []).join("；"), linked_rule_ids: (r.linked_rule_ids || []).join("；") })),
      columns: [{ key: "step_code", label: L("所在环节代码", "Step code") }, { key: "description", label: L("风险描述", "Risk") },
        { key: "level", label: L("等级", "Level"), options: [["1", L("一级（高）", "1 high")], ["2", L("二级（中）", "2 medium")], ["3", L("三级（低）", "3 low")]], number: true },
        { key: "controls", label: L("防控措施（分号分隔）", "Controls (; separated)"), list: true },
        { key: "responsible_role", label: L("责任岗位", "Responsible post") },
        { key: "linked_rule_ids", label: L("关联规则（如 R4；R7，可空）", "Linked rules (e.g. R4; R7)"), list: true }] }),
    tiers: repeater({ path: "penalty.tiers", legend: L("裁量基准（轻、中、重，须覆盖法定幅度且不重叠）", "Discretion tiers (cover the range without gaps or overlaps)"), rows: (b.penalty && b.penalty.tiers) || [],
      columns: [{ key: "tier", label: L("档次", "Tier") }, { key: "min", label: L("下限（元）", "Min"), type: "number", number: true }, { key: "max", label: L("上限（元）", "Max"), type: "number", number: true }, { key: "conditions", label: L("适用情形", "When") }] }),
  };
  const fee = b.fee || { charged: false };
  const charged = h("input", { type: "checkbox", id: "fee-charged", name: "fee.charged", checked: !!fee.charged });
  const pen = b.penalty || {};
  const penaltyBox = h("div", { id: "penalty-box" },
    h("fieldset", { "data-field-wrap": "penalty.types" }, h("legend", {}, L("处罚种类", "Penalty types")),
      Object.keys(PENALTY_TYPES).map((t) => h("div", { class: "choice" }, h("input", { type: "checkbox", id: `pt-${t}`, name: "penalty.types", value: t, checked: (pen.types || []).includes(t) }), h("label", { for: `pt-${t}` }, pick(PENALTY_TYPES, t, t)))),
      h("p", { class: "field-error" })),
    h("div", { class: "row2" },
      field({ name: "penalty.fine_min", field: "penalty.fine_min", label: L("法定罚款下限（元）", "Statutory minimum"), type: "number", value: pen.fine_min ?? "" }),
      field({ name: "penalty.fine_max", field: "penalty.fine_max", label: L("法定罚款上限（元）", "Statutory maximum"), type: "number", value: pen.fine_max ?? "" }),
      field({ name: "penalty.case_limit_days", field: "penalty.case_limit_days", label: L("办案期限（日）", "Case limit (days)"), type: "number", value: pen.case_limit_days ?? "90" })),
    field({ name: "penalty.violation", field: "penalty.violation", label: L("违法行为", "Violation"), value: pen.violation || "" }),
    h("div", { class: "field", "data-field-wrap": "summary_procedure" }, h("div", { class: "choice" },
      h("input", { type: "checkbox", id: "summary-procedure", name: "summary_procedure", checked: !!b.summary_procedure }),
      h("label", { for: "summary-procedure" }, L("可适用简易程序（当场处罚）", "The summary procedure may apply (on-the-spot penalty)"))), h("p", { class: "field-error" })),
    parts.tiers);
  const categoryBox = h("div", { id: "category-fields" });
  const form = h("form", { id: "declare-form", novalidate: true },
    section(L("基本信息", "Basics"),
      field({ name: "code", label: L("事项编码", "Item code"), required: true, value: b.code ? dashedCode(b.code) : `320300-${u.dept_code}-`, hint: L(`本部门代码 ${u.dept_code}`, `Your department: ${u.dept_code}`) }),
      field({ name: "name", label: L("事项名称", "Name"), required: true, value: b.name || "" }),
      field({ name: "category", label: L("权力类别", "Category"), options: cats, value: b.category || "XK" }),
      field({ name: "keywords", label: L("检索关键词（逗号分隔）", "Keywords"), value: (b.keywords || []).join("，") }),
      field({ name: "co_departments", label: L("并联审批部门代码（逗号分隔）", "Co-handling departments"), value: (b.co_departments || []).join("，") }),
      field({ name: "result_name", label: L("结果名称（证照名称）", "Result (licence name)"), value: b.result_name || "" }),
      field({ name: "special_procedures", label: L("特别程序（逗号分隔，如 专家评审、听证、检验检测）", "Special procedures (comma separated)"), value: (b.special_procedures || []).join("，") }),
      field({ name: "conditions", label: L("办理条件", "Conditions"), type: "textarea", rows: 3, value: b.conditions || "" })),
    section(L("本类别专门信息", "Fields of this category"), categoryBox),
    section(L("法律依据", "Legal basis"), parts.basis),
    section(L("申请材料", "Materials"), parts.materials),
    section(L("办理时限", "Time limits"), h("div", { class: "cols" }, limitFields("statutory_limit", L("法定期限", "Statutory limit"), b.statutory_limit), limitFields("promised_limit", L("承诺期限（不得超过法定期限）", "Promised limit (≤ statutory)"), b.promised_limit))),
    section(L("收费", "Fee"),
      h("div", { class: "field", "data-field-wrap": "fee.charged" }, h("div", { class: "choice" }, charged, h("label", { for: "fee-charged" }, L("本事项收费", "This item charges a fee"))), h("p", { class: "field-error" })),
      h("div", { class: "row2" },
        field({ name: "fee.amount", field: "fee.amount", label: L("收费标准（元）", "Amount"), type: "number", value: fee.amount ?? "" }),
        field({ name: "fee.basis", field: "fee.basis", label: L("收费依据", "Basis"), value: fee.basis || "" }))),
    section(L("内部流程", "Steps"), parts.steps),
    section(L("廉政风险点", "Risk points"), parts.risks),
    section(L("处罚标准（行政处罚类）", "Penalty terms (CF)"), penaltyBox),
    section(L("办理地点与电话", "Place and phones"),
      field({ name: "place", label: L("办理地点", "Place"), value: b.place || "" }),
      h("div", { class: "row2" }, field({ name: "phone", label: L("咨询电话", "Phone"), value: b.phone || "" }), field({ name: "supervision_phone", label: L("监督电话", "Supervision phone"), value: b.supervision_phone || "" }))),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, base ? L("申报新版本", "Declare the new version") : L("提交申报", "Declare"))),
    h("div", { id: "declare-result", role: "status" }));
  const category = form.elements.namedItem("category");
  const typed = { ...(b.category_fields || {}) };
  const togglePenalty = () => {
    penaltyBox.hidden = category.value !== "CF";
    penaltyBox.closest("section").hidden = category.value !== "CF";
    categoryFields(categoryBox, category.value, typed);
  };
  category.addEventListener("change", togglePenalty);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    busy(form, true);
    const r = await call("POST", "/catalog/items", { body: build(form, parts, u.dept_code, base) });
    busy(form, false);
    const out = form.querySelector("#declare-result");
    if (r.ok) {
      out.replaceChildren(h("div", { class: "receipt" }, h("h3", {}, L(`已申报 ${dashedCode(r.data.code)} 第 ${r.data.version} 版`, `Declared ${dashedCode(r.data.code)} version ${r.data.version}`)),
        h("p", {}, L("状态：待法制办确认。确认后按法制办确定的日期施行。", "Awaiting the legal office's confirmation."))));
      out.querySelector("h3").setAttribute("tabindex", "-1");
      out.querySelector("h3").focus();
      return;
    }
    showErrors(form, (r.error.details || []).map((d) => ({ field: d.field, message: d.message })), r.error.message);
  });
  put(view, form);
  togglePenalty();
  return { title: L("事项申报", "Declare an item") };
}
