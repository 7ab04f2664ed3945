// 在线申办: the application form; on success the case number and query password, shown prominently.
import { api, loadCatalog, loadItem } from "../../shared/data.js";
import { busy, choices, copyButton, field, showErrors, val, validate } from "../../shared/forms.js";
import { L } from "../../shared/i18n.js";
import { attachmentField } from "../../shared/upload.js";
import { APPLICATION_CATEGORIES, fmtLimit, h, plainCode, put, route } from "../../shared/util.js";

// Values are the Chinese document names, the vocabulary department systems send in `submitted` events.
const ID_CARD = "居民身份证";
const USCC = "统一社会信用代码";
const ID_TYPES = {
  person: [[ID_CARD, ["居民身份证", "Resident ID card"]], ["护照", ["护照", "Passport"]],
    ["港澳台居民居住证", ["港澳台居民居住证", "HK/Macao/Taiwan residence permit"]]],
  org: [[USCC, ["统一社会信用代码", "Unified social credit code"]]],
};

const ID_CARD_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CARD_CHECK = "10X98765432";

/** 18-digit resident ID card with a valid check digit (GB 11643). */
export function validIdCard(text) {
  if (!/^\d{17}[\dX]$/.test(text)) return false;
  const sum = ID_CARD_WEIGHTS.reduce((acc, w, i) => acc + w * Number(text[i]), 0);
  return ID_CARD_CHECK[sum % 11] === text[17];
}

function idTypeOptions(type) {
  return ID_TYPES[type].map(([v, [zh, en]]) => [v, L(zh, en)]);
}

async function chooseItem(view) {
  let index = null;
  try {
    index = await loadCatalog();
  } catch {
    index = null;
  }
  put(view, h("p", {}, L("请先选择要办理的事项。也可以在", "Choose the item to apply for, or find it in the "),
    h("a", { href: route("catalog") }, L("事项目录", "catalog")), L("中查看办事指南后点击“在线申办”。", " and press “Apply online” on its guide.")));
  if (!index) return;
  const items = index.items.filter((it) => APPLICATION_CATEGORIES.has(it.category));
  const form = h("form", {
    class: "card", onsubmit: (e) => {
      e.preventDefault();
      const code = val(form, "item");
      if (code) window.location.hash = route("apply", [code]);
    },
  }, field({ name: "item", id: "apply-item", label: L("办理事项", "Item"), required: true,
    options: [["", L("请选择", "Choose…")], ...items.map((it) => [it.code, `${it.name}（${it.dept_name}）`])] }),
  h("button", { type: "submit", class: "btn" }, L("下一步", "Next")));
  put(view, form);
}

function receipt(doc, data) {
  const box = h("section", { class: "receipt", "aria-labelledby": "receipt-title", tabindex: "-1" },
    h("h2", { id: "receipt-title" }, L("申报成功", "Application submitted")),
    h("p", {}, L(`您申请的“${doc.name}”已提交至${doc.dept_name}。`, `Your application for “${doc.name}” has been sent to ${doc.dept_name}.`)),
    h("dl", {},
      h("dt", {}, L("办件编号", "Case number")),
      h("dd", {}, h("output", { class: "big-code", id: "receipt-case-no" }, data.case_no), ...copyButton(data.case_no, L("编号", "number"))),
      h("dt", {}, L("查询密码", "Query password")),
      h("dd", {}, h("output", { class: "big-code", id: "receipt-password" }, data.query_password), ...copyButton(data.query_password, L("密码", "password")))),
    h("p", { class: "notice warn" }, h("strong", {}, L("请立即记录或复制办件编号和查询密码。", "Write down or copy the case number and password now.")),
      L("查询办理进度、评价办理结果均需凭此编号和密码；为保护您的信息，密码仅显示这一次，本站不会公开。",
        " You need both to track and rate your case. For your privacy the password is shown only this once and is never published.")),
    h("p", {}, L(`承诺办理期限 ${fmtLimit(doc.promised_limit)}，自受理之次日起计算。`, `Promised time limit: ${fmtLimit(doc.promised_limit)}, counted from the day after acceptance.`)),
    h("div", { class: "actions" },
      h("a", { class: "btn", href: route("query", [], { case_no: data.case_no }) }, L("查询办理进度", "Track this case")),
      h("a", { class: "btn btn-secondary", href: route("item", [doc.code]) }, L("返回办事指南", "Back to the guide"))));
  return box;
}

export async function render(view, ctx) {
  const title = L("在线申办", "Apply online");
  put(view, h("h1", {}, title));
  const code = plainCode(ctx.args[0] || ctx.params.get("item") || "");
  if (!code) {
    await chooseItem(view);
    return { title };
  }
  let doc;
  try {
    doc = await loadItem(code);
  } catch {
    doc = undefined;
  }
  if (!ctx.alive()) return { title };
  if (!doc) {
    put(view, h("p", { class: "notice error", role: "alert" }, doc === null
      ? L(`目录中没有编码为 ${code} 的有效事项。`, `The catalog has no item in force with code ${code}.`)
      : L("事项信息暂时无法加载，请稍后再试。", "The item cannot be loaded right now.")));
    return { title };
  }
  if (!APPLICATION_CATEGORIES.has(doc.category)) {
    put(view, h("p", { class: "notice" }, L("该事项不需要申请人提出申请，无法在线申办。", "This item does not start with an application."), " ",
      h("a", { href: route("item", [doc.code]) }, L("查看办事指南", "See the guide"))));
    return { title };
  }

  // 基层延伸: where the paper materials will be handed in — the department's window or a point that takes the item
  const near = await api("GET", "/service-points", { query: { item_code: doc.code, limit: 200 } });
  if (!ctx.alive()) return { title };
  const points = near.ok ? near.data.items || [] : [];
  const chosen = ctx.params.get("point") || "";
  const pointField = points.length ? field({ name: "service_point", id: "apply-point", field: "service_point",
    label: L("递交纸质材料的地点（选填）", "Where you hand in the paper materials (optional)"), value: chosen,
    hint: L("可选择就近的镇（街道）便民服务中心或村（社区）代办点代为收件。", "A township service centre or village agency point near you can take them for the department."),
    options: [["", L(`部门窗口（${doc.place || doc.dept_name}）`, `The department's window (${doc.place || doc.dept_name})`)],
      ...points.map((p) => [p.code, `${p.name}（${[p.county, p.township].filter(Boolean).join(" ")}）`])] }) : null;

  const personLabel = () => L("申请人姓名", "Applicant name");
  const orgLabel = () => L("单位名称", "Organisation name");
  const nameField = field({ name: "name", id: "apply-name", field: "applicant.name", label: personLabel(), required: true, autocomplete: "name", maxlength: 100 });
  const idTypeField = field({ name: "id_type", id: "apply-id-type", field: "applicant.id_type", label: L("证件类型", "ID type"), required: true, options: idTypeOptions("person") });
  const idNoField = field({ name: "id_no", id: "apply-id-no", field: "applicant.id_no", label: L("证件号码", "ID number"), required: true, autocomplete: "off", maxlength: 30,
    spellcheck: false, hint: L("仅用于办理本事项，不会公开。", "Used only to handle this case; never published.") });
  const onType = () => {
    const type = val(form, "applicant_type") || "person";
    nameField.querySelector("label").firstChild.textContent = type === "org" ? orgLabel() : personLabel();
    nameField.querySelector("input").autocomplete = type === "org" ? "organization" : "name";
    const select = idTypeField.querySelector("select");
    select.replaceChildren(...idTypeOptions(type).map(([v, t]) => h("option", { value: v }, t)));
  };
  const materials = doc.materials || [];
  const files = attachmentField({ id: "apply-files", purpose: "application", label: L("电子材料（选填）", "Scanned materials (optional)"),
    hint: L("可上传申请材料的扫描件或照片：PDF、JPG、PNG、OFD、DOCX、XLSX，每个不超过 20 MB，最多 10 个，仅供办理部门使用。",
      "Scans or photos of your materials: PDF, JPG, PNG, OFD, DOCX or XLSX, up to 20 MB each, at most 10; only the department sees them.") });
  const form = h("form", { novalidate: true, class: "apply-form" },
    h("p", { class: "muted" }, L("带 * 的为必填项。", "Fields marked * are required.")),
    choices({ name: "applicant_type", id: "apply-type", field: "applicant.type", legend: L("申请人类型", "Applicant type"), required: true, value: "person",
      choices: [["person", L("个人", "Individual")], ["org", L("法人或其他组织", "Organisation")]], onchange: onType }),
    nameField, idTypeField, idNoField,
    field({ name: "phone", id: "apply-phone", field: "applicant.phone", label: L("联系电话", "Phone"), type: "tel", required: true, autocomplete: "tel", inputmode: "tel", maxlength: 20,
      hint: L("手机号码或带区号的固定电话，用于办理过程中联系您，不会公开。", "Mobile or landline with area code; never published.") }),
    materials.length ? choices({ name: "materials", id: "apply-materials", field: "materials", type: "checkbox", legend: L("提交的申请材料", "Materials you provide"),
      hint: L("请勾选您已准备并将提交的材料，标“必需”的材料须全部提供。", "Tick the materials you provide; all required ones must be included."),
      choices: materials.map((m) => [m.name, m.name, { required: m.required, note: m.required ? L("（必需）", "(required)") : L("（视情形提供）", "(if applicable)") }]) }) : null,
    files.element,
    pointField,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("提交申请", "Submit application"))));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const type = val(form, "applicant_type") || "person";
    const idType = val(form, "id_type");
    const idNo = val(form, "id_no").toUpperCase();
    const phone = val(form, "phone");
    const ticked = [...form.querySelectorAll("input[name=materials]:checked")].map((i) => i.value);
    const missing = materials.filter((m) => m.required && !ticked.includes(m.name)).map((m) => m.name);
    const details = validate(form, [
      () => (idNo && idType === ID_CARD && !validIdCard(idNo)
        ? { field: "applicant.id_no", message: L("居民身份证号码应为 18 位且校验位正确", "A resident ID number has 18 characters with a valid check digit") } : null),
      () => (idNo && idType === USCC && !/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(idNo)
        ? { field: "applicant.id_no", message: L("统一社会信用代码应为 18 位", "A unified social credit code has 18 characters") } : null),
      () => (phone && !/^(1\d{10}|0\d{2,3}-?\d{7,8})$/.test(phone.replace(/\s/g, ""))
        ? { field: "applicant.phone", message: L("请填写 11 位手机号码或带区号的固定电话", "Enter an 11-digit mobile or a landline with area code") } : null),
      () => (missing.length ? { field: "materials", message: L(`请提供必需材料：${missing.join("、")}`, `Required materials missing: ${missing.join(", ")}`) } : null),
      () => files.problems()[0] || null,
    ]);
    if (details.length) {
      showErrors(form, details);
      return;
    }
    busy(form, true);
    const up = await files.upload();
    if (!up.ok) {
      busy(form, false);
      showErrors(form, [up.detail], up.message);
      return;
    }
    const res = await api("POST", "/applications", {
      body: {
        item_code: doc.code,
        applicant: { type, name: val(form, "name"), id_type: idType, id_no: idNo, phone: phone.replace(/\s/g, "") },
        materials: ticked,
        attachments: up.ids,
        service_point: val(form, "service_point") || undefined,
      },
    });
    busy(form, false);
    if (!res.ok) {
      showErrors(form, res.error.details, res.error.message);
      return;
    }
    const box = receipt(doc, res.data);
    const at = points.find((p) => p.code === val(form, "service_point"));
    const where = at ? [at.address, at.hours].filter(Boolean).join("，") : "";
    if (at) box.insertBefore(h("p", { id: "apply-point-note" }, L(`请携带纸质材料到${at.name}（${where}）递交。`,
      `Please hand in the paper materials at ${at.name} (${where}).`)), box.querySelector(".actions"));
    form.replaceWith(box);
    box.focus();
    ctx.announce(L("申报成功，请记录办件编号和查询密码。", "Submitted. Note the case number and password."));
  });

  put(view,
    h("p", { class: "lead" }, h("a", { href: route("item", [doc.code]) }, doc.name), ` · ${doc.dept_name} · `, h("span", { class: "code" }, doc.display_code)),
    h("p", {}, L(`承诺期限 ${fmtLimit(doc.promised_limit)}（法定 ${fmtLimit(doc.statutory_limit)}）。`, `Promised ${fmtLimit(doc.promised_limit)} (statutory ${fmtLimit(doc.statutory_limit)}).`),
      " ", L("提交后您将获得办件编号和查询密码，窗口收取纸质材料后予以受理。", "You will receive a case number and password; the department accepts the case once it has the materials.")),
    form);
  return { title: `${title} - ${doc.name}` };
}
