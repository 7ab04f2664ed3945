// 首页: search box, service entrances, categories, departments and common items.
import { loadManifest } from "../../shared/data.js";
import { L } from "../../shared/i18n.js";
import { categoryName, fmtLimit, fmtTime, h, put, route, swap } from "../../shared/util.js";

function searchForm() {
  const input = h("input", {
    type: "search", id: "home-q", name: "q", autocomplete: "off",
    placeholder: L("输入事项名称、编码或关键词，如：小餐饮", "Item name, code or keyword, e.g. 小餐饮"),
  });
  return h("form", {
    role: "search", "aria-label": L("事项搜索", "Catalog search"),
    onsubmit: (e) => {
      e.preventDefault();
      window.location.hash = route("catalog", [], { q: input.value.trim() });
    },
  },
  h("label", { for: "home-q", class: "field-label" }, h("strong", {}, L("搜索办事事项", "Search for a service"))),
  h("div", { class: "search-row" }, input, h("button", { type: "submit", class: "btn" }, L("搜索", "Search"))));
}

function services() {
  const tiles = [
    ["catalog", L("事项目录", "Power catalog"), L("按部门、类别查看全部行政权力事项", "All administrative powers by department and category")],
    ["apply", L("在线申办", "Apply online"), L("网上提交申请，获取办件编号与查询密码", "Apply and receive a case number and password")],
    ["query", L("办件查询", "Track a case"), L("凭办件编号和查询密码查看办理进度", "See progress with your case number and password")],
    ["consult", L("咨询", "Ask"), L("向办理部门咨询办事问题", "Ask the department a question")],
    ["complaint", L("投诉", "Complain"), L("对办事效率、服务态度、违规收费等进行投诉", "Complain about delays, conduct or improper fees")],
    ["evaluate", L("评价", "Rate"), L("对已办理事项进行满意度评价", "Rate how your case was handled")],
    ["results", L("结果公开", "Results"), L("办结结果与行政处罚决定公开", "Published case results and penalty decisions")],
    ["stats", L("部门统计", "Statistics"), L("各部门办件量、按期办结率与预警情况", "Volumes, on-time rates and warnings by department")],
  ];
  return h("ul", { class: "grid" }, tiles.map(([page, title, text]) =>
    h("li", {}, h("a", { class: "tile", href: route(page) }, h("strong", {}, title), h("span", { class: "muted" }, text)))));
}

export async function render(view, ctx) {
  put(view,
    h("section", { class: "hero", "aria-labelledby": "home-title" },
      h("h1", { id: "home-title" }, L("网上政务大厅", "Online Government Hall")),
      h("p", { class: "lead" }, L("行政权力网上公开透明运行：权力清单、办事指南、办理过程与结果全部公开，接受社会监督。",
        "Every administrative power, its guide, its handling and its result are published online for public scrutiny.")),
      searchForm()),
    h("h2", {}, L("办事服务", "Services")),
    services(),
  );
  const catalogArea = h("div", {}, h("p", { class: "loading" }, L("正在加载权力目录…", "Loading the catalog…")));
  put(view, catalogArea);
  let index;
  try {
    index = await loadManifest();
  } catch {
    swap(catalogArea, h("p", { class: "notice error", role: "alert" }, L("权力目录暂时无法加载，请稍后再试。", "The catalog cannot be loaded right now. Please try again later.")));
    return { title: L("首页", "Home") };
  }
  if (!ctx.alive()) return { title: L("首页", "Home") };
  // 常用事项: one application item per department, chosen when the catalog is published (the
  // manifest's featured list), so the home page needs no catalog shard.
  const featured = index.featured || [];
  swap(catalogArea,
    h("h2", { id: "home-cats" }, L("按类别浏览", "Browse by category")),
    h("ul", { class: "chips", "aria-labelledby": "home-cats" }, index.categories.filter((c) => c.item_count > 0).map((c) =>
      h("li", {}, h("a", { href: route("catalog", [], { cat: c.code }) }, categoryName(c.code, c.name), h("span", { class: "count" }, `(${c.item_count})`))))),
    h("h2", { id: "home-depts" }, L("按部门浏览", "Browse by department")),
    h("ul", { class: "chips", "aria-labelledby": "home-depts" }, index.departments.filter((d) => d.item_count > 0).map((d) =>
      h("li", {}, h("a", { href: route("catalog", [], { dept: d.code }) }, d.name, h("span", { class: "count" }, `(${d.item_count})`))))),
    h("h2", { id: "home-common" }, L("常用事项", "Common services")),
    h("ul", { class: "grid", "aria-labelledby": "home-common" }, featured.map((it) =>
      h("li", {}, h("a", { class: "tile", href: route("item", [it.code]) },
        h("strong", {}, it.name),
        h("span", { class: "muted" }, it.dept_name),
        h("span", { class: "muted" }, L(`承诺时限：${fmtLimit(it.promised_limit)}`, `Promised: ${fmtLimit(it.promised_limit)}`)))))),
    h("p", { class: "muted small" }, L(`目录共 ${index.item_count} 项，更新于 ${fmtTime(index.generated_at)}`,
      `${index.item_count} items in the catalog, updated ${fmtTime(index.generated_at)}`)),
  );
  return { title: L("首页", "Home") };
}
