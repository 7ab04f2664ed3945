// 部门统计: per-department volumes, on-time rate, yellow/red signals, complaints and satisfaction, as SVG charts.
import { barChart } from "../../shared/chart.js";
import { api, loadManifest } from "../../shared/data.js";
import { field } from "../../shared/forms.js";
import { L } from "../../shared/i18n.js";
import { fmtInt, fmtRate, h, put, shanghaiDay, swap } from "../../shared/util.js";

const MAX_PAGES = 20;

/** Period choices: this and the previous years, the last 8 quarters, the last 12 months. */
export function periodOptions(today) {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const years = [0, 1, 2].map((i) => String(year - i));
  const quarters = [];
  let y = year;
  let q = Math.floor((month - 1) / 3) + 1;
  for (let i = 0; i < 8; i += 1) {
    quarters.push(`${y}Q${q}`);
    q -= 1;
    if (q === 0) {
      q = 4;
      y -= 1;
    }
  }
  const months = [];
  y = year;
  let m = month;
  for (let i = 0; i < 12; i += 1) {
    months.push(`${y}-${String(m).padStart(2, "0")}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return { years, quarters, months };
}

export function periodLabel(p) {
  let m = /^(\d{4})Q([1-4])$/.exec(p);
  if (m) return L(`${m[1]}年第${"一二三四"[Number(m[2]) - 1]}季度`, `${m[1]} Q${m[2]}`);
  m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) return L(`${m[1]}年${Number(m[2])}月`, `${m[1]}-${m[2]}`);
  return L(`${p}年`, p);
}

async function fetchAll(period) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < MAX_PAGES; i += 1) {
    const res = await api("GET", "/stats/departments", { query: { period, cursor, limit: 500 } });
    if (!res.ok) return { error: res.error };
    items.push(...(res.data.items || []));
    cursor = res.data.next;
    if (!cursor) break;
  }
  return { items };
}

function table(rows) {
  const cols = [
    ["received", L("受理", "Received"), fmtInt], ["concluded", L("办结", "Concluded"), fmtInt], ["on_time", L("按期办结", "On time"), fmtInt],
    ["on_time_rate", L("按期办结率", "On-time rate"), fmtRate], ["yellow", L("黄牌预警", "Yellow"), fmtInt], ["red", L("红牌预警", "Red"), fmtInt],
    ["complaints", L("投诉", "Complaints"), fmtInt], ["satisfaction_rate", L("满意率", "Satisfaction"), fmtRate],
    ["disclosure_received", L("信息公开申请", "Information requests"), fmtInt],
    ["disclosure_on_time_rate", L("按时答复率", "Answered on time"), fmtRate],
  ];
  return h("div", { class: "table-scroll", role: "region", "aria-label": L("部门统计数据表", "Statistics table"), tabindex: "0" },
    h("table", { id: "stats-table" },
      h("caption", {}, L("各部门统计数据（图表的数据表）", "Figures by department (the charts' data)")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, L("部门", "Department")), cols.map(([, t]) => h("th", { scope: "col", class: "num" }, t)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.dept_name), cols.map(([k, , f]) => h("td", { class: "num" }, f(r[k]))))))));
}

function kpis(rows) {
  const sum = (k) => rows.reduce((a, r) => a + (Number(r[k]) || 0), 0);
  const concluded = sum("concluded");
  const rate = concluded ? sum("on_time") / concluded : null;
  const items = [
    [L("受理办件", "Received"), fmtInt(sum("received"))], [L("办结办件", "Concluded"), fmtInt(concluded)],
    [L("按期办结率", "On-time rate"), fmtRate(rate)], [L("黄牌预警", "Yellow warnings"), fmtInt(sum("yellow"))],
    [L("红牌预警", "Red warnings"), fmtInt(sum("red"))], [L("投诉", "Complaints"), fmtInt(sum("complaints"))],
  ];
  return h("ul", { class: "kpis" }, items.map(([k, v]) => h("li", {}, h("span", { class: "v" }, v), k)));
}

function charts(rows, width, period) {
  const labels = rows.map((r) => r.dept_name);
  const pct = (n) => {
    const v = Math.round(n * 1000) / 10;
    return `${Number.isInteger(v) ? v : v.toFixed(1)}%`;
  };
  const when = periodLabel(period);
  return [
    h("h2", {}, L("按期办结率", "On-time rate")),
    barChart({
      title: L(`${when}各部门按期办结率`, `On-time rate by department, ${when}`),
      desc: rows.map((r) => `${r.dept_name} ${fmtRate(r.on_time_rate)}`).join("；"),
      labels, width, max: 1, empty: L("本期无办结办件", "nothing concluded"),
      series: [{ name: L("按期办结率", "On-time rate"), values: rows.map((r) => (r.on_time_rate === null || r.on_time_rate === undefined ? null : Number(r.on_time_rate))), color: "#1b3a6b", format: pct }],
    }),
    h("h2", {}, L("办件量", "Case volumes")),
    barChart({
      title: L(`${when}各部门受理与办结办件量`, `Cases received and concluded by department, ${when}`),
      desc: rows.map((r) => L(`${r.dept_name} 受理 ${r.received}，办结 ${r.concluded}`, `${r.dept_name}: received ${r.received}, concluded ${r.concluded}`)).join("；"),
      labels, width,
      series: [
        { name: L("受理", "Received"), values: rows.map((r) => Number(r.received) || 0), color: "#1b3a6b", format: fmtInt },
        { name: L("办结", "Concluded"), values: rows.map((r) => Number(r.concluded) || 0), color: "#5b7fb5", format: fmtInt },
      ],
    }),
    h("h2", {}, L("电子监察预警", "Supervision warnings")),
    barChart({
      title: L(`${when}各部门黄牌、红牌预警数`, `Yellow and red warnings by department, ${when}`),
      desc: rows.map((r) => L(`${r.dept_name} 黄牌 ${r.yellow}，红牌 ${r.red}`, `${r.dept_name}: yellow ${r.yellow}, red ${r.red}`)).join("；"),
      labels, width,
      series: [
        { name: L("黄牌", "Yellow"), values: rows.map((r) => Number(r.yellow) || 0), color: "#b07800", format: fmtInt },
        { name: L("红牌", "Red"), values: rows.map((r) => Number(r.red) || 0), color: "#9e1b1b", format: fmtInt },
      ],
    }),
  ];
}

const GRADE_NAMES_EN = { 优秀: "Excellent", 良好: "Good", 合格: "Pass", 不合格: "Fail" };

/** 评估等次: the quarterly grades the supervision bureau published (none until it publishes them). */
async function grades() {
  const res = await api("GET", "/evaluation/grades", { query: {} });
  const section = [h("h2", { id: "grades" }, L("绩效评估等次（监察局公布）", "Performance grades (published by the supervision bureau)"))];
  if (!res.ok) return [...section, h("p", { class: "notice error", role: "alert" }, res.error.message)];
  const rows = res.data.items || [];
  if (!res.data.period || !rows.length) {
    return [...section, h("p", { class: "muted", id: "grades-none" }, L("监察局尚未公布评估等次。", "No grades have been published yet."))];
  }
  rows.sort((a, b) => String(a.dept_code).localeCompare(String(b.dept_code)));
  const grade = (g) => (g ? L(g, GRADE_NAMES_EN[g] || g) : L("不评定", "Not graded"));
  return [...section,
    h("p", { class: "muted" }, L(`${periodLabel(res.data.period)}，由监察局评定并公布。`, `${periodLabel(res.data.period)}, graded and published by the supervision bureau.`)),
    h("div", { class: "table-scroll", role: "region", "aria-label": L("评估等次表", "Grades table"), tabindex: "0" },
      h("table", { id: "grades-table" },
        h("caption", {}, L(`${periodLabel(res.data.period)}各部门绩效评估等次`, `Grades by department, ${periodLabel(res.data.period)}`)),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, L("部门", "Department")), h("th", { scope: "col" }, L("等次", "Grade")),
          h("th", { scope: "col", class: "num" }, L("按期办结率", "On-time rate")), h("th", { scope: "col", class: "num" }, L("满意率", "Satisfaction")))),
        h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.dept_name || r.dept_code), h("td", {}, grade(r.grade)),
          h("td", { class: "num" }, fmtRate(r.on_time_rate)), h("td", { class: "num" }, fmtRate(r.satisfaction_rate))))))),
  ];
}

export async function render(view, ctx) {
  const title = L("部门统计", "Department statistics");
  const today = shanghaiDay();
  const opts = periodOptions(today);
  const period = ctx.params.get("period") || opts.years[0];
  const known = [...opts.years, ...opts.quarters, ...opts.months];
  const select = field({ name: "period", id: "stats-period", label: L("统计期间", "Period"), value: period,
    options: [...(known.includes(period) ? [] : [[period, periodLabel(period)]]),
      ...known.map((p) => [p, periodLabel(p)])] });
  // Group the options by granularity for easier scanning.
  const sel = select.querySelector("select");
  const groups = [[L("年度", "Years"), opts.years], [L("季度", "Quarters"), opts.quarters], [L("月度", "Months"), opts.months]];
  const extra = [...sel.options].filter((o) => !known.includes(o.value));
  sel.replaceChildren(...extra, ...groups.map(([label, list]) => h("optgroup", { label },
    list.map((p) => h("option", { value: p, selected: p === period }, periodLabel(p))))));
  const body = h("div", { id: "stats-body" });
  put(view, h("h1", {}, title),
    h("p", { class: "lead" }, L("各部门受理、办结、按期办结、电子监察预警、投诉和满意度情况，数据随办件实时更新。",
      "Cases received and concluded, on-time rate, warnings, complaints and satisfaction by department, updated as cases progress.")),
    h("form", { class: "card filters", onsubmit: (e) => e.preventDefault() }, select), body);

  const load = async (p) => {
    swap(body, h("p", { class: "loading", role: "status" }, L("正在加载统计数据…", "Loading statistics…")));
    const [res, index] = await Promise.all([fetchAll(p), loadManifest().catch(() => null)]);
    if (!ctx.alive()) return;
    if (res.error) {
      swap(body, h("p", { class: "notice error", role: "alert" }, res.error.message));
      return;
    }
    // Every catalogued department appears; one with no record for the period had no activity in it.
    const byCode = new Map(res.items.map((r) => [r.dept_code, r]));
    const rows = [...res.items];
    for (const d of index ? index.departments : []) {
      if (!byCode.has(d.code)) {
        rows.push({ dept_code: d.code, dept_name: d.name, received: 0, concluded: 0, on_time: 0, on_time_rate: null, yellow: 0, red: 0, complaints: 0, satisfaction_rate: null });
      }
    }
    const names = new Map((index ? index.departments : []).map((d) => [d.code, d.name]));
    for (const r of rows) r.dept_name = r.dept_name || names.get(r.dept_code) || r.dept_code;
    rows.sort((a, b) => String(a.dept_code).localeCompare(String(b.dept_code)));
    if (!rows.length) {
      swap(body, h("p", { role: "status" }, L(`${periodLabel(p)}暂无统计数据。`, `No figures for ${periodLabel(p)}.`)));
      return;
    }
    const width = Math.min(body.clientWidth || 800, 1100);
    const published = await grades();
    if (!ctx.alive()) return;
    swap(body,
      h("p", { role: "status", class: "muted" }, L(`${periodLabel(p)}，共 ${rows.length} 个部门。`, `${periodLabel(p)}: ${rows.length} departments.`)),
      kpis(rows), ...charts(rows, width, p), h("h2", {}, L("数据表", "Data table")), table(rows), ...published);
  };
  sel.addEventListener("change", () => {
    ctx.setParams({ period: sel.value });
    load(sel.value);
  });
  await load(period);
  return { title };
}
