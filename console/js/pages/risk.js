// 廉政风险统计 (#/risk?period=2026Q4): the signals of a period by the highest 廉政风险点 level they name
// (一级 high, 二级 medium, 三级 low, or none), per region (两级: each county, and the city rolled up) and
// per department, within the reader's scope; every count opens the signals behind it.
import { L } from "../../shared/i18n.js";
import { fmtInt, fmtRate, h, pick, put, route, RISK_LEVELS } from "../../shared/util.js";
import { call } from "../session.js";
import { empty, failure, heading, section, table, tag } from "../ui.js";
import { periods } from "./evaluation.js";

export const RISK_KIND = { 1: "red", 2: "warn", 3: "" };

/** A risk level as a tag people read (the word, never the colour alone). */
export function riskTag(level) {
  return tag(pick(RISK_LEVELS, level, String(level)), RISK_KIND[level] ?? "");
}

function tiles(t) {
  const by = t.by_risk_level;
  const tile = (cls, n, label) => h("li", { class: `tile ${cls}` }, h("span", { class: "n" }, fmtInt(n)), label);
  return h("ul", { class: "tiles", id: "risk-totals" },
    tile("", t.signals, L("本期监察信号", "Signals in the period")),
    tile("red", by["1"], L("涉及一级（高）风险点", "Naming a level-1 risk")),
    tile("yellow", by["2"], L("涉及二级（中）风险点", "Naming a level-2 risk")),
    tile("", by["3"], L("涉及三级（低）风险点", "Naming a level-3 risk")),
    tile("", by.none, L("未关联风险点", "Naming none")));
}

/** A count that opens the department's signals of that level (none: a plain zero). */
function countLink(row, level, period) {
  const n = row.by_risk_level[level];
  if (!n || !row.dept_code) return fmtInt(n || 0);
  const label = level === "none" ? L("未关联风险点", "naming none") : pick(RISK_LEVELS, level, level);
  return h("a", { href: route("signals", [], { dept_code: row.dept_code, risk_level: level }),
    "aria-label": L(`${row.dept_name || row.dept_code} ${period} ${label}信号 ${n} 个`, `${row.dept_name || row.dept_code}: ${n} signals, ${label}`) }, fmtInt(n));
}

function columns(period, first) {
  return [
    first,
    { label: L("信号（红/黄）", "Signals (red/yellow)"), cls: "num", render: (x) => `${fmtInt(x.signals)}（${x.red}/${x.yellow}）` },
    { label: L("一级（高）", "Level 1"), cls: "num", render: (x) => countLink(x, "1", period) },
    { label: L("二级（中）", "Level 2"), cls: "num", render: (x) => countLink(x, "2", period) },
    { label: L("三级（低）", "Level 3"), cls: "num", render: (x) => countLink(x, "3", period) },
    { label: L("未关联", "None"), cls: "num", render: (x) => countLink(x, "none", period) },
    { label: L("一级占比", "Level-1 share"), cls: "num", render: (x) => fmtRate(x.high_risk_rate) },
  ];
}

export async function render(view, ctx) {
  const title = L("廉政风险统计", "Integrity-risk statistics");
  const period = ctx.params.get("period") || periods()[0];
  put(view, ...heading(title, L("按期间统计监察信号所关联的廉政风险点等级：一级（高，可能构成犯罪）、二级（中，可能违反政纪）、三级（低，轻微违规）。一个信号关联多个风险点时，按最高等级计一次；被撤回的信号不计。",
    "Signals of a period by the highest integrity-risk level they name (a signal naming several counts once; withdrawn signals do not count).")));
  const choices = periods().includes(period) ? periods() : [period, ...periods()];
  const select = h("select", { id: "period", name: "period" }, choices.map((p) => h("option", { value: p, selected: p === period }, p)));
  select.addEventListener("change", () => { window.location.hash = route("risk", [], { period: select.value }); });
  put(view, h("div", { class: "actions no-print" }, h("label", { for: "period" }, L("统计期间", "Period")), select));
  const r = await call("GET", "/supervision/statistics/risk", { query: { period } });
  if (!r.ok) {
    put(view, failure(r.error));
    return { title };
  }
  put(view, tiles(r.data.totals));
  if (r.data.regions.length) {
    put(view, section(L("分地区（县级各自统计，市级含所辖县区汇总）", "By region (the city rolls up its counties)"), table({
      caption: L(`${period} 各地区信号风险等级`, `Signals by risk level per region, ${period}`),
      rows: r.data.regions,
      rowAttrs: (x) => ({ "data-region": x.region_code }),
      columns: columns(period, { label: L("地区", "Region"), render: (x) => [h("span", { class: "code" }, x.region_code), h("div", { class: "small muted" }, x.level === "city" ? L(`市级汇总 · ${x.departments} 个部门`, `city total · ${x.departments} depts`) : L(`县（市、区） · ${x.departments} 个部门`, `county · ${x.departments} depts`))] }),
    })));
  }
  if (!r.data.items.length) put(view, empty(L("没有可查看的部门。", "No departments to show.")));
  else {
    put(view, section(L("分部门（一级风险信号多的在前）", "By department (most level-1 first)"), table({
      caption: L(`${period} 各部门信号风险等级`, `Signals by risk level per department, ${period}`),
      rows: r.data.items,
      rowAttrs: (x) => ({ class: x.by_risk_level["1"] ? "is-red" : null, "data-dept": x.dept_code }),
      columns: columns(period, { label: L("部门", "Department"), render: (x) => [x.dept_name || x.dept_code, h("div", { class: "small muted" }, `${x.dept_code} · ${x.region_code || ""}`)] }),
    })));
  }
  return { title };
}
