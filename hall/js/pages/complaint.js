// 投诉: complaints about a department or a case; accepted or refused within 5 working days.
import { api, loadManifest } from "../../shared/data.js";
import { busy, checkbox, choices, copyButton, field, showErrors, val, validate } from "../../shared/forms.js";
import { L } from "../../shared/i18n.js";
import { attachmentField } from "../../shared/upload.js";
import { COMPLAINT_CATEGORIES, fmtDay, h, pick, put, route } from "../../shared/util.js";

/** Department options from the catalog index (the hall's only source of department names). */
export async function departmentOptions() {
  try {
    const index = await loadManifest();
    return index.departments.map((d) => [d.code, d.name]);
  } catch {
    return [];
  }
}

export async function render(view, ctx) {
  const title = L("投诉", "Complaint");
  const depts = await departmentOptions();
  if (!ctx.alive()) return { title };
  const contact = h("div", { id: "complaint-contact", hidden: true },
    field({ name: "name", id: "complaint-name", label: L("姓名", "Name"), required: true, autocomplete: "name", maxlength: 50 }),
    field({ name: "phone", id: "complaint-phone", label: L("联系电话", "Phone"), type: "tel", required: true, autocomplete: "tel", inputmode: "tel", maxlength: 20 }));
  const files = attachmentField({ id: "complaint-files", purpose: "complaint", label: L("证据材料（选填）", "Evidence (optional)"),
    hint: L("如照片、收费票据等：PDF、JPG、PNG、OFD、DOCX、XLSX，每个不超过 20 MB，最多 10 个，仅供监察机关使用。",
      "Photos, receipts and the like: PDF, JPG, PNG, OFD, DOCX or XLSX, up to 20 MB each, at most 10; only the supervision bureau sees them.") });
  const form = h("form", { novalidate: true },
    h("p", { class: "muted" }, L("带 * 的为必填项。", "Fields marked * are required.")),
    depts.length
      ? field({ name: "dept_code", id: "complaint-dept", label: L("被投诉部门", "Department"), required: true, value: ctx.params.get("dept") || "",
        options: [["", L("请选择部门", "Choose a department")], ...depts] })
      : field({ name: "dept_code", id: "complaint-dept", label: L("被投诉部门代码", "Department code"), required: true, value: ctx.params.get("dept") || "" }),
    field({ name: "case_no", id: "complaint-case-no", label: L("相关办件编号（选填）", "Case number (optional)"), value: ctx.params.get("case_no") || "",
      autocomplete: "off", spellcheck: false, maxlength: 40 }),
    choices({ name: "category", id: "complaint-category", legend: L("投诉类别", "Type of complaint"), required: true,
      choices: Object.keys(COMPLAINT_CATEGORIES).map((k) => [k, pick(COMPLAINT_CATEGORIES, k)]) }),
    field({ name: "content", id: "complaint-content", label: L("投诉内容", "Your complaint"), type: "textarea", required: true, maxlength: 2000,
      hint: L("请写明事情经过、时间、涉及人员等，最多 2000 字。", "Describe what happened, when and who was involved (up to 2000 characters).") }),
    checkbox({ name: "real_name", id: "complaint-real-name", label: L("实名投诉（实名投诉人将收到受理决定和处理结果的答复）", "Give my name (named complainants are told the decision and the outcome)"),
      onchange: (e) => {
        contact.hidden = !e.target.checked;
      } }),
    contact,
    files.element,
    h("p", { class: "notice" }, L("投诉人信息严格保密，不予公开。投诉受理机构将在 5 个工作日内决定是否受理。", "Your identity is kept confidential. The complaint office decides whether to accept it within 5 working days.")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("提交投诉", "Submit complaint"))));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const realName = form.elements.namedItem("real_name").checked;
    const phone = val(form, "phone");
    const details = validate(form, [
      () => (realName && phone && !/^(1\d{10}|0\d{2,3}-?\d{7,8})$/.test(phone.replace(/\s/g, ""))
        ? { field: "phone", message: L("请填写 11 位手机号码或带区号的固定电话", "Enter an 11-digit mobile or a landline with area code") } : null),
      () => files.problems()[0] || null,
    ]);
    if (details.length) {
      showErrors(form, details);
      return;
    }
    const body = { dept_code: val(form, "dept_code"), category: val(form, "category"), content: val(form, "content"), real_name: realName };
    if (val(form, "case_no")) body.case_no = val(form, "case_no");
    if (realName) {
      body.name = val(form, "name");
      body.phone = phone.replace(/\s/g, "");
    }
    busy(form, true);
    const up = await files.upload();
    if (!up.ok) {
      busy(form, false);
      showErrors(form, [up.detail], up.message);
      return;
    }
    body.attachments = up.ids;
    const res = await api("POST", "/complaints", { body });
    busy(form, false);
    if (!res.ok) {
      showErrors(form, res.error.details, res.error.message);
      return;
    }
    const box = h("section", { class: "receipt", id: "complaint-receipt", "aria-labelledby": "complaint-done", tabindex: "-1" },
      h("h2", { id: "complaint-done" }, L("投诉已提交", "Complaint submitted")),
      h("dl", {}, h("dt", {}, L("投诉编号", "Complaint number")),
        h("dd", {}, h("output", { class: "big-code", id: "complaint-no" }, res.data.complaint_no), ...copyButton(res.data.complaint_no, L("编号", "number"))),
        h("dt", {}, L("查询码", "Query code")),
        h("dd", {}, h("output", { class: "big-code", id: "complaint-code" }, res.data.query_code), ...copyButton(res.data.query_code, L("查询码", "code"))),
        h("dt", {}, L("受理决定期限", "Decision on acceptance by")), h("dd", {}, fmtDay(res.data.accept_deadline, true))),
      h("p", { class: "notice" }, L("请立即记录投诉编号和查询码：凭二者可查询受理决定和处理结果，并对处理情况进行评价。查询码只显示这一次。",
        "Write down the complaint number and the query code now: with both you can follow the decision and the outcome, and rate the handling. The code is shown only once.")),
      h("div", { class: "actions" },
        h("a", { class: "btn", href: route("track", [], { kind: "complaint", no: res.data.complaint_no }) }, L("查询处理进度", "Follow this complaint")),
        h("a", { class: "btn btn-secondary", href: route("home") }, L("返回首页", "Back to home"))));
    form.replaceWith(box);
    box.focus();
  });
  put(view, h("h1", {}, title),
    h("p", { class: "lead" }, L("对办事效率、服务态度、违法违纪、违规收费等问题进行投诉。", "Complain about delays, conduct, misconduct or improper fees.")),
    form);
  return { title };
}
