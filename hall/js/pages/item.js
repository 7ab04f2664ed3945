// 办事指南: everything published about one item, its flow chart, risk points, discretion tiers and history.
import { departmentNames, loadItem } from "../../shared/data.js";
import { L } from "../../shared/i18n.js";
import {
  APPLICATION_CATEGORIES, PENALTY_TYPES, RISK_LEVELS, TIERS, cardTable, categoryName, fmtDay, fmtLimit, fmtMoney, fmtTime, h,
  pick, plainCode, put, route, unitText,
} from "../../shared/util.js";
import { pointsSection } from "../points.js";

function section(id, title, ...content) {
  return h("section", { "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

function kv(rows) {
  return h("dl", { class: "kv" }, rows.filter(Boolean).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function scrollTable(label, table) {
  return h("div", { class: "table-scroll", role: "region", "aria-label": L(`${label}（表格）`, `${label} (table)`), tabindex: "0" }, table);
}

function tel(phone) {
  if (!phone) return "—";
  return h("a", { href: `tel:${String(phone).replace(/[^\d+]/g, "")}` }, phone);
}

function riskBadge(level) {
  return h("span", { class: `tag risk-${level}` }, pick(RISK_LEVELS, level, String(level)));
}

function flowChart(doc) {
  const isPenalty = doc.category === "CF";
  const risksByStep = new Map();
  for (const rp of doc.risk_points || []) {
    if (!risksByStep.has(rp.step_code)) risksByStep.set(rp.step_code, []);
    risksByStep.get(rp.step_code).push(rp);
  }
  const unit = doc.statutory_limit ? doc.statutory_limit.unit : "working_day";
  const total = (doc.steps || []).reduce((sum, st) => sum + (Number(st.limit_days) || 0), 0);
  const nodes = [
    h("li", {}, h("div", { class: "node terminal" }, h("strong", {}, isPenalty ? L("案件来源", "Case source") : L("申请", "Application")))),
    ...(doc.steps || []).map((st, i) => {
      const risks = risksByStep.get(st.code) || [];
      const worst = risks.length ? Math.min(...risks.map((r) => r.level)) : null;
      return h("li", {}, h("div", { class: "node" },
        h("span", { class: "n" }, L(`第 ${i + 1} 步`, `Step ${i + 1}`)),
        h("strong", {}, st.name),
        h("span", { class: "limit" }, L(`时限 ${st.limit_days} ${unitText(unit, st.limit_days)}`, `${st.limit_days} ${unitText(unit, st.limit_days)}`)),
        st.post ? h("span", { class: "post" }, st.post) : null,
        worst ? h("span", { class: "risk" }, h("span", { class: `tag risk-${worst}` }, L(`风险点 ${risks.length} 个`, `${risks.length} risk point(s)`))) : null));
    }),
    h("li", {}, h("div", { class: "node terminal" }, h("strong", {}, isPenalty ? L("结案", "Closed") : L("办结", "Concluded")))),
  ];
  return [
    h("ol", { class: "flow", "aria-label": L("办理流程图", "Flow chart") }, nodes),
    h("p", { class: "muted small" }, L(
      `各环节时限合计 ${total} ${unitText(unit, total)}；承诺期限 ${fmtLimit(doc.promised_limit)}，法定期限 ${fmtLimit(doc.statutory_limit)}。`,
      `Steps add up to ${total} ${unitText(unit, total)}; promised ${fmtLimit(doc.promised_limit)}, statutory ${fmtLimit(doc.statutory_limit)}.`)),
  ];
}

function limits(doc) {
  const p = doc.promised_limit || {};
  const st = doc.statutory_limit || {};
  let faster = null;
  if (p.value && st.value && p.unit === st.unit && p.value < st.value) {
    const pct = Math.round((1 - p.value / st.value) * 100);
    faster = h("p", {}, L(`承诺期限比法定期限缩短 ${pct}%。`, `The promised limit is ${pct}% shorter than the statutory one.`));
  }
  return [
    h("div", { class: "limits" },
      h("div", { class: "limit-box" }, h("div", {}, L("法定期限", "Statutory limit")),
        h("span", { class: "value" }, st.value ?? "—"), " ", unitText(st.unit, st.value)),
      h("div", { class: "limit-box promised" }, h("div", {}, L("承诺期限", "Promised limit")),
        h("span", { class: "value" }, p.value ?? "—"), " ", unitText(p.unit, p.value))),
    faster,
    h("p", { class: "muted small" }, L("期限自受理之次日起计算，法定节假日不计；听证、检验、专家评审等特别程序所需时间不计入期限。",
      "Limits count from the day after acceptance, excluding public holidays; hearings, inspections and expert reviews are not counted.")),
  ];
}

function penaltySection(pen) {
  const tiers = pen.tiers || [];
  return section("guide-penalty", L("处罚裁量基准", "Discretion benchmark"),
    kv([
      pen.violation ? [L("违法行为", "Violation"), pen.violation] : null,
      [L("处罚种类", "Penalty types"), (pen.types || []).map((t) => pick(PENALTY_TYPES, t)).join("、")],
      pen.fine_min !== null && pen.fine_min !== undefined
        ? [L("法定罚款幅度", "Statutory fine range"), `${fmtMoney(pen.fine_min)} – ${fmtMoney(pen.fine_max)}`] : null,
      pen.summary_procedure ? [L("简易程序", "Summary procedure"), L("可当场作出处罚决定", "May be decided on the spot")] : null,
      [L("办案期限", "Case time limit"), L(`自立案之日起 ${pen.case_limit_days} 日内作出决定`, `Decision within ${pen.case_limit_days} days of opening the case`)],
    ]),
    tiers.length ? scrollTable(L("裁量档次表", "Discretion tiers"), cardTable("tiers-table", [
      [L("档次", "Tier"), (t) => pick(TIERS, t.tier, t.tier)],
      [L("下限", "Minimum"), (t) => fmtMoney(t.min), { class: "num" }],
      [L("上限", "Maximum"), (t) => fmtMoney(t.max), { class: "num" }],
      [L("适用情形", "When it applies"), (t) => t.conditions || "—"],
    ], tiers)) : null);
}

export async function render(view, ctx) {
  const code = plainCode(ctx.args[0]);
  let doc;
  try {
    doc = await loadItem(code);
  } catch {
    put(view, h("h1", {}, L("办事指南", "Service guide")), h("p", { class: "notice error", role: "alert" }, L("事项信息暂时无法加载，请稍后再试。", "The item cannot be loaded right now.")));
    return { title: L("办事指南", "Service guide") };
  }
  if (!doc) {
    put(view, h("h1", {}, L("未找到该事项", "Item not found")),
      h("p", {}, L(`目录中没有编码为 ${code || "（空）"} 的有效事项。`, `The catalog has no item in force with code ${code || "(empty)"}.`), " ",
        h("a", { href: route("catalog") }, L("浏览事项目录", "Browse the catalog"))));
    return { title: L("未找到该事项", "Item not found") };
  }
  const depts = await departmentNames();
  if (!ctx.alive()) return { title: doc.name };
  const canApply = APPLICATION_CATEGORIES.has(doc.category);
  const fee = doc.fee || { charged: false };

  put(view,
    h("nav", { class: "breadcrumb", "aria-label": L("当前位置", "Breadcrumb") }, h("ol", {},
      h("li", {}, h("a", { href: "#/" }, L("首页", "Home"))),
      h("li", {}, h("a", { href: route("catalog", [], { dept: doc.dept_code }) }, doc.dept_name || depts.get(doc.dept_code) || doc.dept_code)),
      h("li", {}, h("span", { "aria-current": "page" }, doc.name)))),
    h("h1", {}, doc.name),
    h("p", { class: "meta muted" }, h("span", { class: "tag" }, categoryName(doc.category, doc.category_name)), " ",
      h("span", { class: "code" }, doc.display_code), " · ",
      L(`第 ${doc.version} 版，${fmtDay(doc.effective_from)} 起施行`, `Version ${doc.version}, in force from ${fmtDay(doc.effective_from)}`)),
    h("div", { class: "actions" },
      canApply ? h("a", { class: "btn", href: route("apply", [doc.code]) }, L("在线申办", "Apply online")) : null,
      h("a", { class: "btn btn-secondary", href: route("consult", [], { dept: doc.dept_code, item: doc.code }) }, L("我要咨询", "Ask a question")),
      h("a", { class: "btn btn-secondary", href: route("complaint", [], { dept: doc.dept_code }) }, L("我要投诉", "Complain"))),

    section("guide-basic", L("基本信息", "Basic information"), kv([
      [L("实施主体", "Implementing body"), doc.dept_name || depts.get(doc.dept_code) || doc.dept_code],
      [L("权力类别", "Category"), categoryName(doc.category, doc.category_name)],
      [L("事项编码", "Item code"), h("span", { class: "code" }, doc.display_code)],
      doc.co_departments && doc.co_departments.length
        ? [L("联办部门", "Joint departments"), doc.co_departments.map((c) => depts.get(c) || c).join("、")] : null,
      doc.result_name ? [L("办理结果", "Result document"), doc.result_name] : null,
      ...Object.entries(doc.category_fields || {}).map(([k, v]) => [(doc.category_field_labels || {})[k] || k, v]),
      [L("办理地点", "Place"), doc.place || "—"],
      [L("咨询电话", "Enquiries"), tel(doc.phone)],
      [L("监督电话", "Supervision hotline"), tel(doc.supervision_phone)],
    ])),

    canApply ? pointsSection(doc.code) : null,

    section("guide-basis", L("设定依据", "Legal basis"),
      h("ol", { id: "guide-basis-list" }, (doc.legal_basis || []).map((b) => h("li", {}, h("strong", {}, b.title), " ", b.article)))),

    doc.category !== "CF" || doc.conditions ? section("guide-conditions", L("受理条件", "Conditions"),
      h("div", { class: "card pre-line" }, doc.conditions || L("无特别条件。", "No special conditions."))) : null,

    doc.materials && doc.materials.length ? section("guide-materials", L("申请材料", "Materials"),
      scrollTable(L("申请材料清单", "Materials list"), cardTable("materials-table", [
        [L("序号", "No."), (m) => doc.materials.indexOf(m) + 1, { class: "num" }],
        [L("材料名称", "Material"), (m) => m.name],
        [L("是否必需", "Required"), (m) => (m.required ? L("必需", "Required") : L("视情形提供", "If applicable"))],
        [L("备注", "Note"), (m) => m.note || "—"],
      ], doc.materials))) : null,

    section("guide-limits", L("办理时限", "Time limits"), limits(doc)),

    section("guide-fee", L("收费标准", "Fees"), fee.charged
      ? kv([[L("是否收费", "Charged"), L("收费", "Yes")], [L("收费标准", "Amount"), fmtMoney(fee.amount)], [L("收费依据", "Basis"), fee.basis || "—"]])
      : h("p", {}, h("strong", {}, L("不收费", "Free of charge")), L("。任何单位和个人不得以任何名义收取费用。", ". No one may charge any fee for this item."))),

    section("guide-flow", L("办理流程", "Flow chart"), flowChart(doc),
      doc.special_procedures && doc.special_procedures.length
        ? h("p", {}, L(`可能涉及的特别程序（期间不计入办理时限）：${doc.special_procedures.join("、")}`,
          `Possible special procedures (not counted in the limit): ${doc.special_procedures.join(", ")}`)) : null),

    section("guide-risks", L("廉政风险点公示", "Integrity risk points"),
      doc.risk_points && doc.risk_points.length
        ? scrollTable(L("廉政风险点", "Integrity risk points"), cardTable("risk-table", [
          [L("环节", "Step"), (rp) => {
            const step = (doc.steps || []).find((st) => st.code === rp.step_code);
            return step ? step.name : rp.step_code;
          }],
          [L("风险描述", "Risk"), (rp) => rp.description],
          [L("风险等级", "Level"), (rp) => riskBadge(rp.level)],
          [L("防控措施", "Controls"), (rp) => (rp.controls && rp.controls.length ? h("ul", {}, rp.controls.map((c) => h("li", {}, c))) : "—")],
          [L("责任岗位", "Responsible"), (rp) => rp.responsible_role || "—"],
        ], doc.risk_points))
        : h("p", {}, L("本事项未设廉政风险点。", "No risk points are listed for this item.")),
      h("p", { class: "muted small" }, L("风险等级：一级（高）可能构成犯罪；二级（中）可能违反行政或党纪；三级（低）轻微违规。如发现工作人员违规，请拨打监督电话或在线投诉。",
        "Levels: 1 (high) could be a crime; 2 (medium) a disciplinary breach; 3 (low) a minor breach. Report misconduct to the supervision hotline or online."))),

    doc.penalty ? penaltySection({ ...doc.penalty, summary_procedure: doc.summary_procedure }) : null,

    section("guide-history", L("版本记录", "Version history"),
      scrollTable(L("版本记录", "Version history"), h("table", {},
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, L("版本", "Version")), h("th", { scope: "col" }, L("状态", "Status")),
          h("th", { scope: "col" }, L("施行日期", "In force from")), h("th", { scope: "col" }, L("申报时间", "Declared")), h("th", { scope: "col" }, L("确认时间", "Confirmed")))),
        h("tbody", {}, (doc.history || []).slice().sort((a, b) => b.version - a.version).map((v) => h("tr", {},
          h("td", {}, v.version === doc.version ? L(`第 ${v.version} 版（现行）`, `v${v.version} (current)`) : L(`第 ${v.version} 版`, `v${v.version}`)),
          h("td", {}, pick({ confirmed: ["已确认", "Confirmed"], declared: ["待审核", "Declared"], rejected: ["已退回", "Rejected"] }, v.status)),
          h("td", {}, fmtDay(v.effective_from)), h("td", {}, fmtTime(v.declared_at)), h("td", {}, fmtTime(v.confirmed_at))))))),
      h("p", { class: "muted small" }, L("事项经法制机构审核确认后方可施行；办件适用受理之日施行的版本。",
        "An item takes effect only after legal-office confirmation; a case follows the version in force on its acceptance date."))),
  );
  return { title: doc.name };
}
