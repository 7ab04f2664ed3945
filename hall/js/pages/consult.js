// 咨询: questions to a department, optionally about one item.
import { api, loadCatalog } from "../../shared/data.js";
import { busy, copyButton, field, showErrors, val, validate } from "../../shared/forms.js";
import { L } from "../../shared/i18n.js";
import { fmtDay, h, put, route } from "../../shared/util.js";

export async function render(view, ctx) {
  const title = L("咨询", "Ask a question");
  let index = null;
  try {
    index = await loadCatalog();
  } catch {
    index = null;
  }
  if (!ctx.alive()) return { title };
  const depts = index ? index.departments : [];
  const itemOptions = (dept) => [["", L("不限事项", "Any item")],
    ...(index ? index.items.filter((it) => !dept || it.dept_code === dept).map((it) => [it.code, it.name]) : [])];
  const deptValue = ctx.params.get("dept") || "";
  const itemField = field({ name: "item_code", id: "consult-item", label: L("咨询事项（选填）", "Item (optional)"), options: itemOptions(deptValue), value: ctx.params.get("item") || "" });
  const form = h("form", { novalidate: true },
    h("p", { class: "muted" }, L("带 * 的为必填项。", "Fields marked * are required.")),
    depts.length
      ? field({ name: "dept_code", id: "consult-dept", label: L("咨询部门", "Department"), required: true, value: deptValue,
        options: [["", L("请选择部门", "Choose a department")], ...depts.map((d) => [d.code, d.name])] })
      : field({ name: "dept_code", id: "consult-dept", label: L("咨询部门代码", "Department code"), required: true, value: deptValue }),
    index ? itemField : null,
    field({ name: "question", id: "consult-question", label: L("咨询内容", "Your question"), type: "textarea", required: true, maxlength: 2000 }),
    field({ name: "name", id: "consult-name", label: L("姓名（选填）", "Name (optional)"), autocomplete: "name", maxlength: 50 }),
    field({ name: "phone", id: "consult-phone", label: L("联系电话（选填）", "Phone (optional)"), type: "tel", autocomplete: "tel", inputmode: "tel", maxlength: 20,
      hint: L("留下电话便于部门回复，不会公开。", "So the department can reply; never published.") }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("提交咨询", "Send question"))));
  form.elements.namedItem("dept_code").addEventListener("change", (e) => {
    const select = itemField.querySelector("select");
    select.replaceChildren(...itemOptions(e.target.value).map(([v, t]) => h("option", { value: v }, t)));
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const details = validate(form);
    if (details.length) {
      showErrors(form, details);
      return;
    }
    const body = { dept_code: val(form, "dept_code"), question: val(form, "question") };
    for (const k of ["item_code", "name", "phone"]) if (val(form, k)) body[k] = val(form, k);
    busy(form, true);
    const res = await api("POST", "/consultations", { body });
    busy(form, false);
    if (!res.ok) {
      showErrors(form, res.error.details, res.error.message);
      return;
    }
    const box = h("section", { class: "receipt", id: "consult-receipt", "aria-labelledby": "consult-done", tabindex: "-1" },
      h("h2", { id: "consult-done" }, L("咨询已提交", "Question sent")),
      h("dl", {}, h("dt", {}, L("咨询编号", "Reference")),
        h("dd", {}, h("output", { class: "big-code", id: "consultation-no" }, res.data.consultation_no), ...copyButton(res.data.consultation_no, L("编号", "number"))),
        h("dt", {}, L("查询码", "Query code")),
        h("dd", {}, h("output", { class: "big-code", id: "consultation-code" }, res.data.query_code), ...copyButton(res.data.query_code, L("查询码", "code"))),
        h("dt", {}, L("答复期限", "Answer due by")), h("dd", {}, fmtDay(res.data.answer_deadline, true))),
      h("p", { class: "notice" }, L("请记录咨询编号和查询码，凭二者查看部门的答复。查询码只显示这一次。",
        "Write down the reference and the query code: you need both to read the answer. The code is shown only once.")),
      h("div", { class: "actions" },
        h("a", { class: "btn", href: route("track", [], { kind: "consultation", no: res.data.consultation_no }) }, L("查看答复", "Read the answer")),
        h("a", { class: "btn btn-secondary", href: route("home") }, L("返回首页", "Back to home"))));
    form.replaceWith(box);
    box.focus();
  });
  put(view, h("h1", {}, title), h("p", { class: "lead" }, L("向办理部门咨询办事条件、材料、流程等问题，部门将在规定时限内答复。", "Ask a department about conditions, materials or procedure; it answers within a set time.")), form);
  return { title };
}
