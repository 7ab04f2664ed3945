// 事项目录: filter by department and category, search by name, code and keyword.
import { loadCatalog, loadIndex } from "../../shared/data.js";
import { field } from "../../shared/forms.js";
import { L } from "../../shared/i18n.js";
import { search } from "../search.js";
import { categoryName, fmtLimit, h, put, route } from "../../shared/util.js";

const PAGE_SIZE = 50;

function card(it) {
  return h("li", { class: "item-card" },
    h("h3", {}, h("a", { href: route("item", [it.code]) }, it.name)),
    h("p", { class: "meta" },
      h("span", { class: "tag" }, categoryName(it.category, it.category_name)),
      h("span", {}, it.dept_name),
      h("span", { class: "code" }, it.display_code),
      h("span", {}, L(`承诺 ${fmtLimit(it.promised_limit)}`, `Promised ${fmtLimit(it.promised_limit)}`)),
      h("span", {}, it.fee_charged ? L("收费", "Fee charged") : L("不收费", "Free"))));
}

export async function render(view, ctx) {
  const title = L("事项目录", "Power catalog");
  put(view, h("h1", {}, title), h("p", { class: "lead" }, L("本市行政权力公开目录，按部门和类别查看，可按名称、编码或关键词搜索。",
    "The city's published catalog of administrative powers, by department and category.")));
  let index;
  try {
    index = await loadCatalog();
  } catch {
    put(view, h("p", { class: "notice error", role: "alert" }, L("权力目录暂时无法加载，请稍后再试。", "The catalog cannot be loaded right now. Please try again later.")));
    return { title };
  }
  if (!ctx.alive()) return { title };
  const p = ctx.params;
  const form = h("form", { class: "filters card", role: "search", "aria-label": L("筛选事项", "Filter items"), onsubmit: (e) => e.preventDefault() },
    field({ name: "q", id: "catalog-q", label: L("关键词", "Keyword"), type: "search", value: p.get("q") || "", autocomplete: "off",
      placeholder: L("名称、编码或关键词", "Name, code or keyword") }),
    field({ name: "dept", id: "catalog-dept", label: L("实施部门", "Department"), value: p.get("dept") || "",
      options: [["", L("全部部门", "All departments")], ...index.departments.filter((d) => d.item_count > 0 || d.code === p.get("dept")).map((d) => [d.code, `${d.name}（${d.item_count}）`])] }),
    field({ name: "cat", id: "catalog-cat", label: L("权力类别", "Category"), value: p.get("cat") || "",
      options: [["", L("全部类别", "All categories")], ...index.categories.filter((c) => c.item_count > 0 || c.code === p.get("cat")).map((c) => [c.code, `${categoryName(c.code, c.name)}（${c.item_count}）`])] }));
  const status = h("p", { role: "status", id: "catalog-count", class: "muted" });
  const list = h("ul", { class: "item-list", id: "catalog-results", "aria-labelledby": "catalog-results-title" });
  const more = h("div", { class: "actions" });
  put(view, form, h("h2", { id: "catalog-results-title" }, L("查询结果", "Results")), status, list, more);

  let shown = PAGE_SIZE;
  const update = () => {
    const q = form.elements.namedItem("q").value;
    const dept = form.elements.namedItem("dept").value;
    const cat = form.elements.namedItem("cat").value;
    ctx.setParams({ q: q.trim(), dept, cat });
    const found = search(index.items.filter((it) => (!dept || it.dept_code === dept) && (!cat || it.category === cat)), q);
    status.textContent = found.length
      ? L(`共找到 ${found.length} 个事项`, `${found.length} item(s) found`)
      : L("未找到相关事项，请换个关键词或调整筛选条件。", "No items found. Try another keyword or filter.");
    list.replaceChildren(...found.slice(0, shown).map(card));
    more.replaceChildren();
    if (found.length > shown) {
      more.append(h("button", {
        type: "button", class: "btn btn-secondary",
        onclick: () => {
          shown += PAGE_SIZE;
          update();
        },
      }, L(`显示更多（还有 ${found.length - shown} 项）`, `Show more (${found.length - shown} left)`)));
    }
  };
  // The pinyin reading table (~10 KB) is fetched only when the search box is first used: the page
  // shows the catalog without it, and searches again once it is here (typed pinyin then matches).
  let pinyin = null;
  const withPinyin = () => {
    pinyin = pinyin || loadIndex().then(() => { if (ctx.alive()) update(); }, () => { pinyin = null; });
  };
  const q = form.elements.namedItem("q");
  q.addEventListener("focus", withPinyin);
  // Every keystroke is answered at once: searching the whole city catalog takes a few milliseconds.
  form.addEventListener("input", () => {
    withPinyin();
    shown = PAGE_SIZE;
    update();
  });
  if (q.value.trim()) withPinyin();
  update();
  return { title };
}
