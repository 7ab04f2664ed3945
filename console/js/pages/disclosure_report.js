// 年度报告 (#/disclosure-report): the third table of the 政府信息公开工作年度报告 (收到和处理政府信息公开申请
// 情况, national template) as the API computes it from the requests — for the department, for another
// department of the region (supervisors), or for the whole platform. Read-only: 一 + 二 = 三（七）+ 四.
import { L } from "../../shared/i18n.js";
import { fmtInt, h, put, route } from "../../shared/util.js";
import { call, deptScoped, user } from "../session.js";
import { empty, failure, heading } from "../ui.js";
import { deptLabel } from "../depts.js";

function yearOptions(current) {
  const out = [];
  for (let y = current; y >= current - 5; y -= 1) out.push(y);
  return out;
}

function picker(ctx, year, dept) {
  const scoped = deptScoped();
  const form = h("form", { class: "filters", role: "search", "aria-label": L("报告年度与范围", "Year and scope") },
    h("div", { class: "field" }, h("label", { for: "rep-year" }, L("年度", "Year")),
      h("select", { id: "rep-year", name: "year" }, yearOptions(new Date().getFullYear()).map((y) => h("option", { value: String(y), selected: y === year }, String(y))))),
    scoped ? null : h("div", { class: "field" }, h("label", { for: "rep-dept" }, L("部门代码（留空为全平台）", "Department (empty: the platform)")),
      h("input", { id: "rep-dept", name: "dept_code", inputmode: "numeric", value: dept || "", placeholder: "015" })),
    h("div", { class: "field" }, h("button", { type: "submit", class: "btn" }, L("查看", "Show"))));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = { year: form.elements.namedItem("year").value };
    const d = scoped ? "" : form.elements.namedItem("dept_code").value.trim();
    if (d) q.dept_code = d;
    window.location.hash = route(ctx.page, [], q);
  });
  return form;
}

/** The template's table: two header rows (自然人 | 法人或其他组织 (5) | 总计), a row per line, kinds indented. */
export function reportTable(report) {
  const cols = report.columns || [];
  const groups = report.column_groups || [{ name: "", columns: cols.map((c) => c.key) }];
  const names = new Map(cols.map((c) => [c.key, c.name]));
  const head1 = h("tr", {}, h("th", { scope: "col", rowspan: "2" }, L("项目", "Line")),
    groups.map((g) => (g.columns.length === 1 ? h("th", { scope: "col", rowspan: "2", class: "num" }, g.name)
      : h("th", { scope: "colgroup", colspan: String(g.columns.length), class: "num" }, g.name))));
  const head2 = h("tr", {}, groups.filter((g) => g.columns.length > 1).flatMap((g) => g.columns.map((c) => h("th", { scope: "col", class: "num" }, names.get(c) || c))));
  const order = groups.flatMap((g) => g.columns);
  const body = (report.rows || []).map((row) => h("tr", { "data-row": row.key, class: row.level === 2 ? "sub" : null },
    h("th", { scope: "row", class: row.level === 2 ? "indent" : null }, row.name),
    row.values ? order.map((c) => h("td", { class: "num" }, fmtInt(row.values[c] ?? 0))) : h("td", { colspan: String(order.length) }, "")));
  return h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": L("收到和处理政府信息公开申请情况", "Requests received and handled") },
    h("table", { class: "data report", id: "disclosure-report" },
      h("caption", {}, L("收到和处理政府信息公开申请情况", "Requests received and handled")),
      h("thead", {}, head1, head2), h("tbody", {}, body)));
}

export async function render(view, ctx) {
  const u = user();
  const title = L("政府信息公开年度报告", "Annual disclosure report");
  const year = Number(ctx.params.get("year")) || new Date().getFullYear();
  const dept = deptScoped() ? u.dept_code : ctx.params.get("dept_code") || "";
  put(view, ...heading(title, L("年度报告第三部分“收到和处理政府信息公开申请情况”，按国务院办公厅政府信息与政务公开办公室的统一格式，由平台依据各申请的办理记录计算。",
    "Table 3 of the annual report in the national template, computed from the requests' records.")));
  put(view, picker(ctx, year, dept));
  const query = { year: String(year) };
  if (dept) query.dept_code = dept;
  const r = await call("GET", "/disclosure/annual-report", { query });
  if (!r.ok) {
    put(view, failure(r.error));
    return { title };
  }
  const rep = r.data;
  const received = rep.received || {};
  put(view, h("p", { class: "muted", id: "report-summary" },
    rep.scope === "platform" ? L(`${year} 年 · 全平台`, `${year} · the whole platform`) : L(`${year} 年 · ${deptLabel(rep.dept_code)}`, `${year} · ${deptLabel(rep.dept_code)}`), " · ",
    L(`本年新收 ${fmtInt(received.total ?? 0)} 件（自然人 ${fmtInt(received.person ?? 0)}，法人或其他组织 ${fmtInt(received.org ?? 0)}），上年结转 ${fmtInt(rep.carried_over ?? 0)} 件，本年办结 ${fmtInt(rep.closed ?? 0)} 件，结转下年度 ${fmtInt(rep.still_open ?? 0)} 件。`,
      `${fmtInt(received.total ?? 0)} received, ${fmtInt(rep.carried_over ?? 0)} carried over, ${fmtInt(rep.closed ?? 0)} closed, ${fmtInt(rep.still_open ?? 0)} carried forward.`)));
  if (!(rep.rows || []).length) put(view, empty());
  else put(view, reportTable(rep));
  return { title };
}
