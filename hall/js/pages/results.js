// 结果公开: concluded cases and penalty decisions, masked (a person's name as 张*; never IDs or phones).
import { api, loadManifest, loadItem } from "../../shared/data.js";
import { field } from "../../shared/forms.js";
import { L } from "../../shared/i18n.js";
import {
  CATEGORY_NAMES, PENALTY_TYPES, cardTable, categoryName, fmtDay, fmtMoney, h, pick, put, route, shanghaiDay, swap,
} from "../../shared/util.js";

function scroll(label, table) {
  return h("div", { class: "table-scroll", role: "region", "aria-label": label, tabindex: "0" }, table);
}

function licenseTable(rows) {
  return scroll(L("办结结果", "Case results"), cardTable("license-results", [
    [L("办理事项", "Item"), (r) => (r.item_code ? h("a", { href: route("item", [r.item_code]) }, r.item_name || r.item_code) : r.item_name)],
    [L("办理部门", "Department"), (r) => r.dept_name || r.dept_code],
    [L("办件编号", "Case number"), (r) => r.case_no, { class: "code" }],
    [L("申请人", "Applicant"), (r) => r.party || "—"],
    [L("办结日期", "Concluded"), (r) => (r.concluded_at ? shanghaiDay(r.concluded_at) : "—"), { class: "nowrap" }],
    [L("办理结果", "Result"), (r) => r.result || "—"],
    [L("证照编号", "Certificate no."), (r) => r.cert_no || "—"],
  ], rows));
}

/** Twenty rows a page on a wide screen; ten at phone width, where each row is a card. */
const PAGE_SIZE = window.matchMedia && window.matchMedia("(max-width: 720px)").matches ? 10 : 20;
const basisTitles = new Map();

/** Resolve cited basis ids to "《title》article" from the items' published guides. */
async function resolveBasis(rows) {
  const codes = [...new Set(rows.filter((r) => r.kind === "penalty" && r.item_code).map((r) => r.item_code))];
  await Promise.all(codes.map(async (code) => {
    const doc = await loadItem(code).catch(() => null);
    for (const b of (doc && doc.legal_basis) || []) basisTitles.set(b.id, `${b.title}${b.article}`);
  }));
}

function basisText(basis) {
  const ids = Array.isArray(basis) ? basis : (basis ? [basis] : []);
  return ids.length ? ids.map((id) => basisTitles.get(id) || id).join("；") : "—";
}

function penaltyTable(rows) {
  return scroll(L("行政处罚决定", "Penalty decisions"), cardTable("penalty-results", [
    [L("决定书文号", "Decision no."), (r) => r.decision_no || "—"],
    [L("当事人", "Party"), (r) => r.party || "—"],
    [L("违法行为", "Violation"), (r) => r.violation || r.item_name || "—"],
    [L("处罚种类", "Penalty"), (r) => (r.types || []).map((t) => pick(PENALTY_TYPES, t)).join("、") || r.result || "—"],
    [L("罚款金额", "Fine"), (r) => (r.amount !== undefined && r.amount !== null ? fmtMoney(r.amount) : "—"), { class: "num" }],
    [L("处罚依据", "Basis"), (r) => basisText(r.basis)],
    [L("处罚机关", "Authority"), (r) => r.dept_name || r.dept_code],
    [L("决定日期", "Decided"), (r) => (r.concluded_at ? fmtDay(shanghaiDay(r.concluded_at)) : "—"), { class: "nowrap" }],
  ], rows));
}

export async function render(view, ctx) {
  const title = L("结果公开", "Published results");
  let index = null;
  try {
    index = await loadManifest();
  } catch {
    index = null;
  }
  if (!ctx.alive()) return { title };
  const depts = index ? index.departments : [];
  const cats = index ? index.categories.filter((c) => c.item_count > 0).map((c) => [c.code, categoryName(c.code, c.name)]) : Object.keys(CATEGORY_NAMES).map((c) => [c, categoryName(c)]);
  const form = h("form", { class: "filters card", onsubmit: (e) => e.preventDefault(), "aria-label": L("筛选结果", "Filter results") },
    field({ name: "dept_code", id: "results-dept", label: L("部门", "Department"), value: ctx.params.get("dept") || "",
      options: [["", L("全部部门", "All departments")], ...depts.map((d) => [d.code, d.name])] }),
    field({ name: "category", id: "results-cat", label: L("权力类别", "Category"), value: ctx.params.get("cat") || "",
      options: [["", L("全部类别", "All categories")], ...cats] }));
  const kinds = [
    { kind: "license", title: L("办结结果", "Case results"), empty: L("暂无办结结果。", "No concluded cases."), table: licenseTable },
    { kind: "penalty", title: L("行政处罚决定", "Penalty decisions"), empty: L("暂无行政处罚决定。", "No penalty decisions."), table: penaltyTable },
  ].map((k) => ({ ...k, items: [], cursor: null, box: h("div", { id: `results-${k.kind}` }) }));
  put(view, h("h1", {}, title),
    h("p", { class: "lead" }, L("公开已办结办件的结果和行政处罚决定。个人姓名已隐去部分信息，不公开证件号码、联系方式等个人隐私。",
      "Results of concluded cases and penalty decisions. Personal names are masked; ID numbers and contact details are never published.")),
    form, kinds.map((k) => [h("h2", {}, k.title), k.box]));

  const draw = (k) => {
    swap(k.box,
      h("p", { role: "status", class: "muted" }, L(`已显示 ${k.items.length} 条。`, `${k.items.length} shown.`)),
      k.items.length ? k.table(k.items) : h("p", {}, k.empty),
      k.cursor ? h("div", { class: "actions" }, h("button", { type: "button", class: "btn btn-secondary", onclick: () => load(k, false) },
        L(`加载更多${k.title}`, `More ${k.title.toLowerCase()}`))) : null);
  };
  const load = async (k, reset) => {
    const dept = form.elements.namedItem("dept_code").value;
    const cat = form.elements.namedItem("category").value;
    if (reset) {
      k.items = [];
      k.cursor = null;
      swap(k.box, h("p", { class: "loading", role: "status" }, L("正在加载…", "Loading…")));
    }
    const res = await api("GET", "/results", { query: { dept_code: dept, category: cat, kind: k.kind, limit: PAGE_SIZE, cursor: k.cursor } });
    if (!ctx.alive()) return;
    if (!res.ok) {
      swap(k.box, h("p", { class: "notice error", role: "alert" }, res.error.message));
      return;
    }
    k.items = k.items.concat(res.data.items || []);
    k.cursor = res.data.next || null;
    if (k.kind === "penalty") await resolveBasis(k.items);
    if (!ctx.alive()) return;
    draw(k);
  };
  form.addEventListener("change", () => {
    ctx.setParams({ dept: form.elements.namedItem("dept_code").value, cat: form.elements.namedItem("category").value });
    kinds.forEach((k) => load(k, true));
  });
  await Promise.all(kinds.map((k) => load(k, true)));
  return { title };
}
