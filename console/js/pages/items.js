// 本部门事项 (#/items): the department's items in force, each with its guide facts and a link to
// declare a new version (#/declare?code=…).
import { L } from "../../shared/i18n.js";
import { categoryName, dashedCode, fmtDay, fmtLimit, h, put, route } from "../../shared/util.js";
import { user } from "../session.js";
import { heading, listing } from "../ui.js";

export async function render(view, ctx) {
  const u = user();
  put(view, ...heading(L("本部门事项", "Our items"), L("法制办确认、现行有效的权力事项。事项调整须申报新版本，经法制办确认后生效。", "Items in force. Changes are declared as a new version and take effect once the legal office confirms them.")),
    h("p", {}, h("a", { class: "btn", href: "#/declare" }, L("申报新事项", "Declare a new item"))));
  const { node } = await listing(ctx, {
    path: "/catalog/items", query: { dept_code: u.dept_code },
    filters: [{ name: "q", label: L("搜索", "Search"), type: "search" }],
    emptyText: L("本部门没有现行事项。", "No items in force."),
    caption: L("现行事项", "Items in force"),
    columns: [
      { label: L("事项", "Item"), render: (i) => [h("strong", {}, i.name), h("div", { class: "small code" }, dashedCode(i.code))] },
      { label: L("类别", "Category"), render: (i) => categoryName(i.category, i.category_name) },
      { label: L("版本", "Version"), render: (i) => L(`第 ${i.version} 版，${fmtDay(i.effective_from)} 起`, `v${i.version} from ${fmtDay(i.effective_from)}`) },
      { label: L("时限", "Limits"), render: (i) => L(`承诺 ${fmtLimit(i.promised_limit)} / 法定 ${fmtLimit(i.statutory_limit)}`, `promised ${fmtLimit(i.promised_limit)} / statutory ${fmtLimit(i.statutory_limit)}`) },
      { label: L("操作", "Action"), render: (i) => h("a", { href: route("declare", [], { code: i.code }) }, L("申报新版本", "Declare a new version")) },
    ],
  });
  put(view, node);
  return { title: L("本部门事项", "Our items") };
}
