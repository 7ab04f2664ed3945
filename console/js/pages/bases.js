// 法律依据 (#/bases): the bases the catalog cites, which items cite them, repealed ones, and
// recording a repeal (items in force citing it then raise L4 findings).
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { dashedCode, fmtDay, h, put, shanghaiDay } from "../../shared/util.js";
import { call } from "../session.js";
import { actionForm, heading, listing, tag } from "../ui.js";

export async function render(view, ctx) {
  put(view, ...heading(L("法律依据", "Legal bases"), L("目录事项引用的法律法规条款。依据废止后，引用它的现行事项须调整，依据已废止仍作出的处罚产生 L4 发现。", "Laws the catalog cites. When one is repealed, items citing it must change; penalties on a repealed basis raise L4.")));
  const { node } = await listing(ctx, {
    path: "/legal/bases",
    filters: [{ name: "q", label: L("搜索", "Search"), type: "search" }, { name: "repealed", label: L("状态", "Status"), options: [["false", L("有效", "In force")], ["true", L("已废止", "Repealed")]] }],
    emptyText: L("没有符合条件的法律依据。", "No bases match."),
    renderItems: (items) => h("div", { id: "bases-list" }, items.map((b) => h("article", { class: "card", "data-basis": b.id },
      h("h3", {}, b.title, " ", h("span", { class: "code small" }, b.id), " ", b.repealed_on ? tag(L(`${fmtDay(b.repealed_on)} 废止`, `repealed ${fmtDay(b.repealed_on)}`), "red") : tag(L("有效", "in force"), "ok")),
      h("p", { class: "small" }, L(`现行事项引用 ${b.items.length} 项：`, `${b.items.length} items in force cite it: `), b.items.slice(0, 8).map((i) => `${i.name}（${dashedCode(i.code)} ${i.article}）`).join("；"), b.items.length > 8 ? "…" : ""),
      b.repealed_on ? null : h("details", { class: "act", "data-action": "repeal" }, h("summary", {}, L("登记废止", "Record the repeal")), actionForm({
        fields: [field({ name: "effective", label: L("废止生效日期", "Repealed from"), type: "date", value: shanghaiDay(), required: true })],
        submitText: L("登记废止", "Record"),
        submit: (v) => call("POST", `/legal/bases/${encodeURIComponent(b.id)}/repeal`, { body: { effective: v.effective } }),
        done: async () => { ctx.working(); ctx.rerender(); },
      })))))
  });
  put(view, node);
  return { title: L("法律依据", "Legal bases") };
}
