// 网点统计 (#/points?period=2026Q3&region=320321): statistics per service point (基层延伸, 便民服务中心
// and 代办点): applications taken, accepted, concluded, on time and late, for the departments (or the
// region) the user may see (docs/CONTRACT.md §11). A point the register does not know is flagged.
import { L } from "../../shared/i18n.js";
import { barChart } from "../../shared/chart.js";
import { fmtRate, h, put, route } from "../../shared/util.js";
import { call, user } from "../session.js";
import { empty, failure, heading, kv, section, table, tag } from "../ui.js";

const COUNTIES = {
  320302: "鼓楼区", 320303: "云龙区", 320305: "贾汪区", 320311: "泉山区", 320312: "铜山区", 320321: "丰县",
  320322: "沛县", 320324: "睢宁县", 320381: "新沂市", 320382: "邳州市",
};

function periods() {
  const d = new Date();
  let y = d.getFullYear();
  let q = Math.floor(d.getMonth() / 3) + 1;
  const out = [];
  for (let i = 0; i < 6; i += 1) {
    out.push(`${y}Q${q}`);
    q -= 1;
    if (q === 0) { q = 4; y -= 1; }
  }
  const month = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
  return [month, ...out, String(d.getFullYear()), String(d.getFullYear() - 1)];
}

function place(x) {
  if (!x.registered) return tag(L("未登记的网点", "unregistered"), "warn");
  return [x.county || COUNTIES[x.region_code] || x.region_code, x.township].filter(Boolean).join(" ");
}

export async function render(view, ctx) {
  const all = periods();
  const period = ctx.params.get("period") || all[1];
  const region = ctx.params.get("region") || "";
  put(view, ...heading(L("网点统计", "Service point statistics"),
    L("各镇（街道）便民服务中心和村（社区）代办点代收的申请：收件、受理、办结、按时与逾期。只统计您有权查看的部门的办件。",
      "Applications taken at township service centres and village agency points: taken, accepted, concluded, on time and late — for the departments you may see.")));
  const go = (p, r) => { window.location.hash = route("points", [], { period: p, region: r }); };
  const pSel = h("select", { id: "points-period", name: "period" }, all.map((p) => h("option", { value: p, selected: p === period }, p)));
  const rSel = h("select", { id: "points-region", name: "region" },
    h("option", { value: "" }, L("全部", "All")),
    Object.entries(COUNTIES).map(([code, name]) => h("option", { value: code, selected: code === region }, name)));
  pSel.addEventListener("change", () => go(pSel.value, rSel.value));
  rSel.addEventListener("change", () => go(pSel.value, rSel.value));
  put(view, h("div", { class: "actions no-print" },
    h("label", { for: "points-period" }, L("统计期间", "Period")), pSel,
    h("label", { for: "points-region" }, L("县（市、区）", "County")), rSel));
  const r = await call("GET", "/staff/service-points/stats", { query: { period, region_code: region } });
  if (!r.ok) {
    put(view, failure(r.error));
    return { title: L("网点统计", "Service points") };
  }
  const items = r.data.items || [];
  const t = r.data.totals;
  put(view, section(L(`${period} 合计`, `Totals ${period}`), kv([
    [L("收件", "Taken"), String(t.taken)], [L("受理", "Accepted"), String(t.received)],
    [L("办结", "Concluded"), String(t.concluded)], [L("按时办结", "On time"), String(t.on_time)],
    [L("逾期办结", "Late"), h("span", { id: "points-late" }, String(t.late))], [L("按时办结率", "On-time rate"), fmtRate(t.on_time_rate)],
  ], "points-totals")));
  if (!items.length) {
    put(view, empty(user().dept_code ? L("本部门没有登记的代办网点。", "No service point takes your department's items.")
      : L("本辖区没有登记的办理网点。", "No service point is registered in your region.")));
    return { title: L("网点统计", "Service points") };
  }
  const busy = items.filter((x) => x.taken > 0).slice(0, 15);
  if (busy.length) {
    put(view, barChart({ title: L(`${period} 各网点收件量`, `Applications taken per point, ${period}`), desc: L("与下表数据相同", "Same figures as the table below"),
      labels: busy.map((x) => x.name || x.code), width: Math.min(900, Math.max(320, view.clientWidth || 800)),
      series: [{ name: L("收件", "Taken"), color: "#1b3a6b", values: busy.map((x) => x.taken), format: (v) => String(v) }] }));
  }
  put(view, table({ caption: L(`${period} 各网点办件统计`, `Cases per service point, ${period}`), rows: items,
    rowAttrs: (x) => ({ "data-point": x.code, class: x.late > 0 ? "is-red" : null }),
    columns: [
      { label: L("网点", "Point"), render: (x) => [x.name || h("span", { class: "code" }, x.code), x.active || !x.registered ? null : [" ", tag(L("已停用", "deactivated"), "warn")]] },
      { label: L("类型", "Kind"), render: (x) => (x.kind === "agency" ? L("代办点", "Agency point") : x.kind === "center" ? L("便民服务中心", "Service centre") : "—") },
      { label: L("所在地", "Area"), render: place },
      { label: L("收件", "Taken"), cls: "num", render: (x) => String(x.taken) },
      { label: L("受理", "Accepted"), cls: "num", render: (x) => String(x.received) },
      { label: L("办结", "Concluded"), cls: "num", render: (x) => String(x.concluded) },
      { label: L("按时", "On time"), cls: "num", render: (x) => String(x.on_time) },
      { label: L("逾期", "Late"), cls: "num", render: (x) => (x.late ? tag(String(x.late), "red") : "0") },
      { label: L("按时办结率", "On-time rate"), cls: "num", render: (x) => fmtRate(x.on_time_rate) },
    ] }));
  return { title: L("网点统计", "Service points") };
}
