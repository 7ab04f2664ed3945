// 实时监控 (#/board): every department's open cases by light, its open yellow and red signals and
// the overdue explanations, worst first; a department drills down to its open cases
// (#/board/{dept}?light=red) and each case opens. The supervision bureau can run the sweep by hand.
import { L } from "../../shared/i18n.js";
import { fmtDay, fmtInt, fmtTime, h, pick, put, route } from "../../shared/util.js";
import { call, holds } from "../session.js";
import { CASE_STATUS } from "../../shared/util.js";
import { LEVELS } from "../names.js";
import { empty, failure, filterBar, heading, light, pager, section, table } from "../ui.js";
import { deptLabel } from "../depts.js";

function bar(row) {
  const total = Math.max(1, row.open);
  const part = (cls, n) => (n ? h("span", { class: cls, style: `width:${(100 * n) / total}%` }) : null);
  return h("div", { class: "bar", role: "img", "aria-label": L(`正常 ${row.green}，黄牌 ${row.yellow}，红牌 ${row.red}`, `${row.green} on track, ${row.yellow} yellow, ${row.red} red`) },
    part("g", row.green), part("y", row.yellow), part("r", row.red));
}

/** Live signals by the highest 廉政风险点 level they name; level 1 opens those signals. */
function riskCell(row) {
  const text = `${row.signals_risk_1} / ${row.signals_risk_2} / ${row.signals_risk_3}`;
  if (!row.signals_risk_1) return text;
  return h("a", { href: route("signals", [], { dept_code: row.dept_code, risk_level: "1" }), "aria-label": L(`${row.dept_name} 涉及一级风险点的信号 ${row.signals_risk_1} 个；二级 ${row.signals_risk_2} 个；三级 ${row.signals_risk_3} 个`, `${row.dept_name}: ${row.signals_risk_1} level-1, ${row.signals_risk_2} level-2, ${row.signals_risk_3} level-3`) }, text);
}

function tiles(t) {
  const tile = (cls, n, label) => h("li", { class: `tile ${cls}` }, h("span", { class: "n" }, fmtInt(n)), label);
  return h("ul", { class: "tiles", id: "board-totals" },
    tile("", t.open, L("在办件", "Open cases")), tile("red", t.red, L("红牌办件（已超期）", "Red (overdue)")),
    tile("yellow", t.yellow, L("黄牌办件（临期）", "Yellow (due soon)")), tile("green", t.green, L("正常办件", "On track")),
    tile("red", t.signals_red, L("待说明红牌信号", "Open red signals")), tile("yellow", t.signals_yellow, L("待说明黄牌信号", "Open yellow signals")),
    tile("red", t.explanations_overdue, L("逾期未说明", "Explanations overdue")), tile("", t.explained, L("已说明待处理", "Explained, to dispose")),
    tile("red", t.signals_risk_1, L("未关闭信号涉及一级风险点", "Live signals naming a level-1 risk")));
}

async function overview(view, ctx) {
  put(view, ...heading(L("实时监控", "Real-time board"), L("各部门在办件的红黄牌状态与待处理的监察信号，最需要关注的部门在前。", "Each department's open cases by light and its open signals, the most urgent first.")));
  if (holds("supervisor")) {
    const status = h("span", { role: "status", class: "muted" });
    const btn = h("button", { type: "button", class: "btn btn-secondary", id: "sweep-now" }, L("立即巡查（按当前时刻评估时限规则）", "Sweep now"));
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      status.textContent = L("巡查中…", "Sweeping…");
      const r = await call("POST", "/supervision/sweep", { body: { as_of: new Date().toISOString() } });
      btn.disabled = false;
      status.textContent = r.ok ? L(`巡查完成：检查 ${r.data.examined ?? "—"} 件，新产生信号 ${r.data.raised ?? 0} 个。`, `Swept: ${r.data.examined ?? "—"} examined, ${r.data.raised ?? 0} raised.`) : r.error.message;
      if (r.ok) setTimeout(() => ctx.rerender(), 1200);
    });
    put(view, h("div", { class: "actions no-print" }, btn, status));
  }
  const r = await call("GET", "/supervision/board");
  if (!r.ok) {
    put(view, failure(r.error));
    return;
  }
  put(view, h("p", { class: "muted small" }, L(`截至 ${fmtTime(r.data.as_of)}（业务日 ${fmtDay(r.data.as_of_day, true)}）`, `As of ${fmtTime(r.data.as_of)}`)), tiles(r.data.totals));
  if (!r.data.items.length) {
    put(view, empty(L("没有可查看的部门。", "No departments to show.")));
    return;
  }
  const cell = (row, lightName, n) => (n ? h("a", { href: route("board", [row.dept_code], { light: lightName }), "aria-label": L(`${row.dept_name} ${pick(LEVELS, lightName)} ${n} 件`, `${row.dept_name}: ${n} ${lightName}`) }, fmtInt(n)) : "0");
  put(view, table({
    caption: L("各部门在办件与信号", "Open cases and signals by department"),
    rows: r.data.items,
    rowAttrs: (row) => ({ class: row.red ? "is-red" : row.yellow ? "is-yellow" : null, "data-dept": row.dept_code }),
    columns: [
      { label: L("部门", "Department"), render: (row) => [h("a", { href: route("board", [row.dept_code]) }, row.dept_name || row.dept_code), h("div", { class: "small muted" }, `${row.dept_code} · ${row.level === "county" ? L("县（市、区）级", "county") : L("市级", "city")}`)] },
      { label: L("在办", "Open"), cls: "num", render: (row) => fmtInt(row.open) },
      { label: L("红黄绿", "Lights"), render: (row) => bar(row) },
      { label: L("红牌办件", "Red"), cls: "num", render: (row) => cell(row, "red", row.red) },
      { label: L("黄牌办件", "Yellow"), cls: "num", render: (row) => cell(row, "yellow", row.yellow) },
      { label: L("待说明信号（红/黄）", "Open signals (red/yellow)"), cls: "num", render: (row) => (row.signals_red + row.signals_yellow ? h("a", { href: route("signals", [], { dept_code: row.dept_code, status: "open" }) }, `${row.signals_red} / ${row.signals_yellow}`) : "0 / 0") },
      { label: L("未关闭信号风险（一/二/三级）", "Live signals by risk level (1/2/3)"), cls: "num", render: (row) => riskCell(row) },
      { label: L("逾期未说明", "Overdue explanations"), cls: "num", render: (row) => (row.explanations_overdue ? h("strong", { class: "light-red" }, fmtInt(row.explanations_overdue)) : "0") },
      { label: L("已说明待处理", "Explained"), cls: "num", render: (row) => (row.explained ? h("a", { href: route("signals", [], { dept_code: row.dept_code, status: "explained" }) }, fmtInt(row.explained)) : "0") },
    ],
  }));
}

async function department(view, ctx) {
  const dept = ctx.args[0];
  const lightName = ctx.params.get("light") || "";
  const q = { light: lightName || undefined, cursor: ctx.params.get("cursor") || undefined, limit: 50 };
  const r = await call("GET", `/supervision/board/${encodeURIComponent(dept)}`, { query: q });
  put(view, h("p", { class: "small no-print" }, h("a", { href: "#/board" }, L("← 返回实时监控", "← Board"))));
  if (!r.ok) {
    put(view, ...heading(deptLabel(dept)), failure(r.error));
    return;
  }
  put(view, ...heading(L(`${r.data.dept_name || dept} · 在办件`, `${r.data.dept_name || dept} · open cases`), L(`共 ${r.data.total} 件，最紧急的在前。`, `${r.data.total} cases, most urgent first.`)));
  put(view, filterBar(ctx, [{ name: "light", label: L("状态", "Light"), options: ["red", "yellow", "green"].map((x) => [x, pick(LEVELS, x, x)]) }]));
  if (!r.data.items.length) put(view, empty(L("没有符合条件的在办件。", "No open cases match.")));
  else {
    put(view, section(L("在办件", "Open cases"), table({
      caption: L("在办件，最紧急的在前", "Open cases, most urgent first"),
      rows: r.data.items,
      rowAttrs: (c) => ({ class: c.colour === "red" ? "is-red" : c.colour === "yellow" ? "is-yellow" : null }),
      columns: [
        { label: L("状态", "Light"), render: (c) => light(c.colour) },
        { label: L("办件", "Case"), render: (c) => [h("a", { href: route("case", [c.case_no]), class: "code" }, c.case_no), h("div", { class: "small" }, c.item_name || c.item_code)] },
        { label: L("办理状态", "Status"), render: (c) => pick(CASE_STATUS, c.status, c.status) },
        { label: L("承诺期限", "Due"), render: (c) => (c.due ? fmtDay(c.due, true) : L("待受理", "not accepted yet")) },
        { label: L("超期", "Overdue"), render: (c) => (c.overdue_working_days ? L(`${c.overdue_working_days} 个工作日`, `${c.overdue_working_days} wd`) : "—") },
        { label: L("法定期限", "Statutory due"), render: (c) => fmtDay(c.statutory_due) },
      ],
    })));
  }
  put(view, pager(ctx, r.data.next, r.data.items.length));
}

export async function render(view, ctx) {
  if (ctx.args[0]) await department(view, ctx);
  else await overview(view, ctx);
  return { title: L("实时监控", "Real-time board") };
}
