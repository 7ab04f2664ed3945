// 政府信息公开: each department's guide and directory (主动公开), the request form with attachments
// (依申请公开), the receipt, the progress query and the annual report table.
import { api, loadDisclosure } from "../../shared/data.js";
import { busy, choices, copyButton, field, showErrors, val, validate } from "../../shared/forms.js";
import { L } from "../../shared/i18n.js";
import { attachmentField } from "../../shared/upload.js";
import { fmtDay, fmtInt, h, pick, put, route, shanghaiDay, swap } from "../../shared/util.js";

const STATUS = {
  open: ["办理中", "In progress"], extended: ["已延期", "Extended"], clarifying: ["待补正", "Awaiting clarification"],
  consulting: ["征求第三方意见中", "Consulting a third party"], answered: ["已答复", "Answered"],
  withdrawn: ["已终止", "Closed"],
};
const ORG_KINDS = {
  commercial: ["商业企业", "Business"], research: ["科研机构", "Research institution"],
  public_interest: ["社会公益组织", "Non-profit"], legal_service: ["法律服务机构", "Legal services"], other: ["其他组织", "Other organisation"],
};
const ID_TYPES = [["居民身份证", "居民身份证", "Resident ID card"], ["护照", "护照", "Passport"],
  ["统一社会信用代码", "统一社会信用代码", "Unified social credit code"], ["其他", "其他", "Other"]];
function subnav(current) {
  const links = [
    ["", L("公开指南与目录", "Guides and directories")], ["apply", L("申请公开", "Request information")],
    ["query", L("申请查询", "Track a request")], ["report", L("年度报告", "Annual report")],
  ];
  return h("nav", { class: "subnav", "aria-label": L("政府信息公开栏目", "Information disclosure sections") },
    h("ul", { class: "chips" }, links.map(([key, text]) => h("li", {},
      h("a", { href: key ? route("disclosure", [key]) : route("disclosure"), "aria-current": key === current ? "page" : null }, text)))));
}

// ---- 公开指南与目录 ---------------------------------------------------------------------------------

async function renderHome(view) {
  const title = L("政府信息公开", "Government information disclosure");
  const index = await loadDisclosure("index");
  const depts = (index && index.departments) || [];
  put(view, h("h1", {}, title),
    h("p", { class: "lead" }, L("依据《中华人民共和国政府信息公开条例》，各机关主动公开政府信息；公民、法人或者其他组织可以向各机关申请获取相关政府信息。",
      "Under the Regulations on Open Government Information, every body publishes its information, and anyone may request information it holds.")),
    subnav(""),
    h("h2", {}, L("各机关政府信息公开指南和目录", "Each body's guide and directory")),
    depts.length
      ? h("ul", { class: "grid tiles", id: "disclosure-depts" }, depts.map((d) => h("li", {},
        h("a", { class: "tile", href: route("disclosure", ["dept", d.dept_code]) },
          h("strong", {}, d.dept_name || d.dept_code),
          h("span", { class: "muted" }, d.documents
            ? L(`主动公开文件 ${fmtInt(d.documents)} 件，最近 ${fmtDay(d.latest)}`, `${fmtInt(d.documents)} documents, latest ${fmtDay(d.latest)}`)
            : L("公开指南", "Guide"))))))
      : h("p", { class: "notice" }, L("暂无公开目录。", "No directory has been published yet.")));
  return { title };
}

function guideSection(doc) {
  const g = doc.guide || {};
  const office = g.office || {};
  const rows = [
    [L("公开工作机构", "Disclosure office"), office.name], [L("办公地址", "Address"), office.address],
    [L("办公时间", "Office hours"), office.hours], [L("联系电话", "Phone"), office.phone],
    [L("传真", "Fax"), office.fax], [L("电子邮箱", "E-mail"), office.email], [L("邮政编码", "Postcode"), office.postcode],
  ].filter(([, v]) => v);
  const texts = [
    [L("主动公开的范围和方式", "What is published and how"), g.scope],
    [L("依申请公开的办理", "How requests are handled"), g.how_to_apply],
    [L("收费", "Fees"), g.fees], [L("监督和救济", "Oversight and remedies"), g.remedies],
  ].filter(([, v]) => v);
  return h("section", { "aria-labelledby": "guide-title", id: "disclosure-guide" },
    h("h2", { id: "guide-title" }, L("政府信息公开指南", "Disclosure guide")),
    rows.length ? h("dl", { class: "kv" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])) : null,
    texts.map(([k, v]) => [h("h3", {}, k), h("p", { class: "pre-line" }, v)]));
}

function documentCard(d, categories) {
  const cat = categories.find((c) => c.code === d.category);
  return h("li", { class: "item-card" },
    h("h3", {}, d.url ? h("a", { href: d.url, rel: "noopener" }, d.title) : d.title),
    h("p", { class: "meta" },
      h("span", {}, L("索引号 ", "Index no. "), h("span", { class: "code" }, d.index_no)),
      d.doc_no ? h("span", {}, L(`文号 ${d.doc_no}`, `Ref. ${d.doc_no}`)) : null,
      cat ? h("span", {}, cat.name) : null,
      h("span", {}, L(`发布日期 ${fmtDay(d.published_on)}`, `Published ${fmtDay(d.published_on)}`)),
      h("span", {}, L(`生成日期 ${fmtDay(d.formed_on)}`, `Formed ${fmtDay(d.formed_on)}`))),
    d.summary ? h("p", {}, d.summary) : null,
    d.body ? h("details", {}, h("summary", {}, L("全文", "Full text")), h("p", { class: "pre-line" }, d.body)) : null);
}

async function renderDept(view, ctx, code) {
  const doc = await loadDisclosure(code);
  if (!ctx.alive()) return {};
  if (!doc) {
    put(view, h("h1", {}, L("未找到该机关", "Body not found")), subnav(""),
      h("p", {}, h("a", { href: route("disclosure") }, L("返回政府信息公开", "Back to information disclosure"))));
    return { title: L("未找到该机关", "Body not found") };
  }
  const title = L(`${doc.dept_name} 政府信息公开`, `${doc.dept_name}: information disclosure`);
  const cat = ctx.params.get("cat") || "";
  const categories = doc.categories || [];
  const docs = (doc.documents || []).filter((d) => !cat || d.category === cat);
  const chosen = categories.find((c) => c.code === cat);
  put(view,
    h("nav", { class: "breadcrumb", "aria-label": L("位置", "Breadcrumb") }, h("ol", {},
      h("li", {}, h("a", { href: route("disclosure") }, L("政府信息公开", "Information disclosure"))),
      h("li", { "aria-current": "page" }, doc.dept_name))),
    h("h1", {}, title), subnav(""),
    h("div", { class: "actions" }, h("a", { class: "btn", href: route("disclosure", ["apply"], { dept: code }) },
      L("向本机关申请公开", "Request information from this body"))),
    guideSection(doc),
    h("section", { "aria-labelledby": "dir-title" },
      h("h2", { id: "dir-title" }, L("政府信息公开目录", "Directory")),
      h("ul", { class: "chips", "aria-label": L("按类别浏览", "Browse by category") },
        h("li", {}, h("a", { href: route("disclosure", ["dept", code]), "aria-current": cat ? null : "page" }, L("全部", "All"),
          h("span", { class: "count" }, `(${(doc.documents || []).length})`))),
        categories.map((c) => h("li", {}, h("a", { href: route("disclosure", ["dept", code], { cat: c.code }), "aria-current": c.code === cat ? "page" : null },
          c.name, h("span", { class: "count" }, `(${c.count})`))))),
      h("p", { role: "status", class: "muted" }, chosen
        ? L(`「${chosen.name}」类 ${docs.length} 件`, `${docs.length} in “${chosen.name}”`)
        : L(`共 ${docs.length} 件`, `${docs.length} documents`)),
      docs.length ? h("ul", { class: "item-list", id: "disclosure-docs" }, docs.map((d) => documentCard(d, categories)))
        : h("p", { class: "notice" }, L("该类别暂无公开文件。", "No document in this category yet."))));
  return { title };
}

// ---- 依申请公开: the form, attachments, the receipt ----------------------------------------------------

function receipt(data) {
  const box = h("section", { class: "receipt", id: "disclosure-receipt", "aria-labelledby": "disclosure-done", tabindex: "-1" },
    h("h2", { id: "disclosure-done" }, L("申请已提交", "Request submitted")),
    h("dl", {},
      h("dt", {}, L("申请编号", "Request number")),
      h("dd", {}, h("output", { class: "big-code", id: "disclosure-no" }, data.request_no), copyButton(data.request_no, L("编号", "number"))),
      h("dt", {}, L("查询密码", "Query password")),
      h("dd", {}, h("output", { class: "big-code", id: "disclosure-password" }, data.query_password), copyButton(data.query_password, L("密码", "password"))),
      h("dt", {}, L("受理机关", "Body")), h("dd", {}, data.dept_name || data.dept_code),
      h("dt", {}, L("收到申请日期", "Received on")), h("dd", {}, fmtDay(data.received_on, true)),
      h("dt", {}, L("答复期限", "Answer due by")), h("dd", {}, fmtDay(data.due, true))),
    h("p", {}, L("请妥善保存申请编号和查询密码，密码只显示这一次。机关应当自收到申请之日起 20 个工作日内答复；需要延长的，将告知您延长的理由和期限（最长 20 个工作日）。",
      "Keep the number and the password: the password is shown only now. The body answers within 20 working days of receipt; if it needs longer it tells you why and for how long (at most 20 more working days).")),
    h("div", { class: "actions" },
      h("a", { class: "btn btn-secondary", href: route("disclosure", ["query"], { no: data.request_no }) }, L("查询办理进度", "Track this request"))));
  return box;
}

async function renderApply(view, ctx) {
  const title = L("申请政府信息公开", "Request government information");
  const index = await loadDisclosure("index");
  if (!ctx.alive()) return { title };
  const depts = ((index && index.departments) || []).map((d) => [d.dept_code, d.dept_name]);
  const orgFields = h("div", { id: "disclosure-org", hidden: true },
    field({ name: "org_kind", id: "dq-org-kind", field: "applicant.org_kind", label: L("组织类别", "Kind of organisation"),
      options: Object.keys(ORG_KINDS).map((k) => [k, pick(ORG_KINDS, k)]) }),
    field({ name: "contact", id: "dq-contact", field: "applicant.contact", label: L("联系人", "Contact person"), maxlength: 50, autocomplete: "name" }));
  const files = attachmentField({ id: "dq-files", purpose: "disclosure",
    hint: L("如身份证明、授权委托书等。支持 PDF、JPG、PNG、OFD、DOCX、XLSX，每个不超过 20 MB，最多 10 个。附件仅供受理机关办理使用，不予公开。",
      "For example proof of identity or a power of attorney. PDF, JPG, PNG, OFD, DOCX or XLSX, up to 20 MB each, at most 10. Only the body handling the request sees them.") });
  const form = h("form", { novalidate: true, id: "disclosure-form" },
    h("p", { class: "muted" }, L("带 * 的为必填项。", "Fields marked * are required.")),
    field({ name: "dept_code", id: "dq-dept", label: L("受理机关", "Body asked"), required: true, value: ctx.params.get("dept") || "",
      options: [["", L("请选择机关", "Choose a body")], ...depts] }),
    h("h2", {}, L("申请人信息", "Applicant")),
    choices({ name: "kind", id: "dq-kind", field: "applicant.type", legend: L("申请人类型", "Applicant type"), required: true, value: "person",
      choices: [["person", L("公民（自然人）", "Citizen (natural person)")], ["org", L("法人或者其他组织", "Legal person or other organisation")]],
      onchange: (e) => {
        orgFields.hidden = e.target.value !== "org";
      } }),
    field({ name: "name", id: "dq-name", field: "applicant.name", label: L("姓名或名称", "Name"), required: true, maxlength: 100, autocomplete: "name" }),
    orgFields,
    field({ name: "id_type", id: "dq-id-type", field: "applicant.id_type", label: L("证件类型", "Document type"),
      options: ID_TYPES.map(([v, zh, en]) => [v, L(zh, en)]) }),
    field({ name: "id_no", id: "dq-id-no", field: "applicant.id_no", label: L("证件号码", "Document number"), maxlength: 40, autocomplete: "off", spellcheck: false }),
    field({ name: "phone", id: "dq-phone", field: "applicant.phone", label: L("联系电话", "Phone"), type: "tel", required: true, inputmode: "tel", autocomplete: "tel", maxlength: 20 }),
    field({ name: "email", id: "dq-email", field: "applicant.email", label: L("电子邮箱", "E-mail"), type: "email", autocomplete: "email", maxlength: 100 }),
    field({ name: "address", id: "dq-address", field: "applicant.address", label: L("通信地址", "Postal address"), autocomplete: "street-address", maxlength: 200 }),
    h("h2", {}, L("所需信息", "Information sought")),
    field({ name: "description", id: "dq-description", label: L("所需政府信息的名称、文号或者便于查询的其他特征性描述", "Title, reference number or other description of the information"),
      type: "textarea", required: true, maxlength: 5000 }),
    field({ name: "purpose", id: "dq-purpose", label: L("用途（选填）", "Purpose (optional)"), maxlength: 1000 }),
    choices({ name: "format", id: "dq-format", legend: L("信息的提供形式", "Form of the information"), required: true, value: "electronic",
      choices: [["electronic", L("电子文档", "Electronic")], ["paper", L("纸质文本", "Paper")]] }),
    field({ name: "delivery", id: "dq-delivery", label: L("获取方式", "How to receive it"),
      options: [["email", L("电子邮件", "E-mail")], ["post", L("邮寄", "Post")], ["collect", L("当面领取", "Collect in person")], ["online", L("网上获取", "Online")]] }),
    files.element,
    h("p", { class: "notice" }, L("申请人信息仅用于办理本申请，不予公开。行政机关依申请提供政府信息，不收取费用。", "Your details are used only to handle this request and are never published. Answering a request is free of charge.")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("提交申请", "Submit request"))));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const phone = val(form, "phone").replace(/\s/g, "");
    const details = validate(form, [
      () => (phone && !/^(1\d{10}|0\d{2,3}-?\d{7,8})$/.test(phone)
        ? { field: "applicant.phone", message: L("请填写 11 位手机号码或带区号的固定电话", "Enter an 11-digit mobile or a landline with area code") } : null),
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
    const ids = up.ids;
    const kind = val(form, "kind");
    const applicant = { type: kind, name: val(form, "name"), id_type: val(form, "id_type"), id_no: val(form, "id_no"), phone,
      email: val(form, "email"), address: val(form, "address") };
    if (kind === "org") {
      applicant.org_kind = val(form, "org_kind");
      applicant.contact = val(form, "contact");
    }
    for (const k of Object.keys(applicant)) if (!applicant[k]) delete applicant[k];
    const body = { dept_code: val(form, "dept_code"), applicant, description: val(form, "description"), format: val(form, "format"),
      delivery: val(form, "delivery"), attachments: ids };
    if (val(form, "purpose")) body.purpose = val(form, "purpose");
    const res = await api("POST", "/disclosure/requests", { body });
    busy(form, false);
    if (!res.ok) {
      showErrors(form, res.error.details, res.error.message);
      return;
    }
    const box = receipt(res.data);
    form.replaceWith(box);
    box.focus();
    ctx.announce(L("申请已提交", "Request submitted"));
  });
  put(view, h("h1", {}, title),
    h("p", { class: "lead" }, L("向行政机关申请获取其在履行行政管理职能过程中制作或者获取的政府信息。", "Ask a body for information it made or obtained in its work.")),
    subnav("apply"), form);
  return { title };
}

// ---- 申请查询 --------------------------------------------------------------------------------------

function answerBox(a) {
  if (!a) return null;
  return h("section", { class: "card", id: "disclosure-answer", "aria-labelledby": "answer-title" },
    h("h2", { id: "answer-title" }, L("答复", "Answer")),
    h("dl", { class: "kv" },
      h("dt", {}, L("答复类型", "Type")), h("dd", {}, a.type_name || a.type),
      h("dt", {}, L("答复日期", "Answered on")), h("dd", {}, fmtDay(a.answered_on, true)),
      h("dt", {}, L("答复内容", "Answer")), h("dd", { class: "pre-line" }, a.text || "—"),
      a.reason ? [h("dt", {}, L("理由和依据", "Reason and basis")), h("dd", { class: "pre-line" }, a.reason)] : null));
}

function requestView(r) {
  const status = r.status || "open";
  const rows = [
    [L("申请编号", "Request number"), h("span", { class: "code", id: "dq-result-no" }, r.request_no)],
    [L("受理机关", "Body"), r.dept_name || r.dept_code],
    [L("当前状态", "Status"), h("span", { class: `status ${status === "answered" ? "concluded" : status === "clarifying" || status === "consulting" ? "suspended" : ""}`, id: "dq-status" },
      pick(STATUS, status, r.status_name))],
    [L("收到申请日期", "Received on"), fmtDay(r.received_on, true)],
    [L("答复期限", "Answer due by"), r.due ? fmtDay(r.due, true)
      : (status === "clarifying" ? L("补正后重新计算", "Set again once clarified") : status === "consulting" ? L("征求意见期间不计时", "Paused while consulting") : "—")],
  ];
  const late = r.due && !r.answer && shanghaiDay() > r.due;
  return h("section", { id: "disclosure-result", "aria-labelledby": "dq-result-title", tabindex: "-1" },
    h("h2", { id: "dq-result-title" }, L("申请信息", "Request")),
    h("dl", { class: "kv" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    late ? h("p", { class: "notice error" }, L("该申请已超过答复期限，监察机关已收到超期提醒。", "This request is past its due date; the supervision bureau has been alerted.")) : null,
    r.clarify && status === "clarifying" ? h("div", { class: "notice warn" }, h("strong", {}, L("请补正申请内容：", "Please clarify your request: ")),
      h("span", { class: "pre-line" }, r.clarify.text), h("p", { class: "small" }, L("请在机关告知的期限内补正；补正后答复期限重新计算。", "Reply within the time the body gave; the count restarts once it has your reply."))) : null,
    r.extension ? h("p", { class: "notice" }, L(`答复期限已延长 ${r.extension.working_days} 个工作日：${r.extension.reason}`,
      `The answer was extended by ${r.extension.working_days} working days: ${r.extension.reason}`)) : null,
    answerBox(r.answer),
    (r.due_derivation || []).length ? h("details", { id: "dq-derivation" }, h("summary", {}, L("答复期限如何计算", "How the due date is computed")),
      h("ol", {}, r.due_derivation.map((line) => h("li", {}, line)))) : null,
    r.withdrawn ? h("p", { class: "notice" }, L(`已终止办理（${fmtDay(r.withdrawn.on)}）：${r.withdrawn.reason}`, `Closed on ${r.withdrawn.on}: ${r.withdrawn.reason}`)) : null);
}

async function renderQuery(view, ctx) {
  const title = L("政府信息公开申请查询", "Track a request for information");
  const out = h("div", { id: "dq-query-out" });
  const form = h("form", { novalidate: true, id: "dq-query-form" },
    field({ name: "request_no", id: "dq-query-no", label: L("申请编号", "Request number"), required: true, value: ctx.params.get("no") || "", autocomplete: "off", spellcheck: false, maxlength: 40 }),
    field({ name: "password", id: "dq-query-password", label: L("查询密码", "Query password"), type: "password", required: true, autocomplete: "off", maxlength: 64 }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("查询", "Look up"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const details = validate(form);
    if (details.length) {
      showErrors(form, details);
      return;
    }
    busy(form, true);
    const res = await api("GET", `/disclosure/requests/${encodeURIComponent(val(form, "request_no"))}`, { query: { password: val(form, "password") } });
    busy(form, false);
    if (!res.ok) {
      swap(out);
      showErrors(form, [], res.status === 404 ? L("未找到申请或查询密码错误，请核对后重试。", "No request found, or the password is wrong.") : res.error.message);
      return;
    }
    form.querySelector(".error-summary")?.remove();
    ctx.setParams({ no: val(form, "request_no") });
    const section = requestView(res.data);
    swap(out, section);
    section.focus();
  });
  put(view, h("h1", {}, title), h("p", { class: "lead" }, L("凭申请编号和查询密码查看办理进度和答复。", "Enter the number and password from your receipt.")),
    subnav("query"), form, out);
  return { title };
}

// ---- 年度报告 --------------------------------------------------------------------------------------

function reportTable(rep) {
  const groups = rep.column_groups || [];
  const names = Object.fromEntries((rep.columns || []).map((c) => [c.key, c.name]));
  const cols = groups.flatMap((g) => g.columns);
  return h("div", { class: "table-scroll", role: "region", tabindex: "0", "aria-labelledby": "report-caption" },
    h("table", { id: "report-table", class: "report" },
      h("caption", { id: "report-caption" }, L(`收到和处理政府信息公开申请情况（${rep.year} 年，单位：件）`, `Requests received and handled in ${rep.year}`)),
      h("thead", {},
        h("tr", {}, h("th", { scope: "col", rowspan: "2" }, L("项目", "Item")),
          groups.map((g) => (g.columns.length === 1
            ? h("th", { scope: "col", rowspan: "2", class: "num" }, g.name)
            : h("th", { scope: "colgroup", colspan: String(g.columns.length) }, g.name)))),
        h("tr", {}, groups.filter((g) => g.columns.length > 1)
          .flatMap((g) => g.columns.map((c) => h("th", { scope: "col", class: "num" }, names[c]))))),
      h("tbody", {}, rep.rows.map((r) => h("tr", { class: r.level === 2 ? "sub" : null, "data-row": r.key },
        h("th", { scope: "row" }, r.name),
        r.values ? cols.map((c) => h("td", { class: "num" }, fmtInt(r.values[c]))) : h("td", { colspan: String(cols.length) }, ""))))));
}

async function renderReport(view, ctx) {
  const title = L("政府信息公开工作年度报告", "Annual report on information disclosure");
  const index = await loadDisclosure("index");
  if (!ctx.alive()) return { title };
  const thisYear = Number(shanghaiDay().slice(0, 4));
  const year = ctx.params.get("year") || String(thisYear);
  const dept = ctx.params.get("dept") || "";
  const out = h("div", { id: "report-out" });
  const years = [0, 1, 2, 3, 4].map((i) => String(thisYear - i));
  const form = h("form", { class: "filters", id: "report-form" },
    field({ name: "year", id: "report-year", label: L("年度", "Year"), value: year, options: years.map((y) => [y, L(`${y} 年`, y)]) }),
    field({ name: "dept", id: "report-dept", label: L("机关", "Body"), value: dept,
      options: [["", L("全平台汇总", "Whole platform")], ...((index && index.departments) || []).map((d) => [d.dept_code, d.dept_name])] }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("查看", "Show"))));
  async function load(y, d) {
    const res = await api("GET", "/disclosure/annual-report", { query: { year: y, dept_code: d } });
    if (!ctx.alive()) return;
    if (!res.ok) {
      swap(out, h("p", { class: "notice error", role: "alert" }, res.error.message));
      return;
    }
    const rep = res.data;
    const who = rep.dept_name || L("全平台", "The whole platform");
    swap(out,
      h("h2", {}, L(`${who} ${rep.year} 年度`, `${who}, ${rep.year}`)),
      h("p", { class: rep.final ? "muted" : "notice" }, rep.final
        ? L(`本报告于 ${fmtDay(rep.publish_by)} 前公布（《条例》第五十条）。`, `Published by ${rep.publish_by} (art. 50).`)
        : L(`${rep.year} 年度尚未结束，以下为截至 ${fmtDay(rep.as_of)} 的数据。`, `The year is not over: figures as of ${rep.as_of}.`)),
      h("div", { class: "limits", id: "report-kpis" },
        [[L("本年新收申请", "Received"), rep.received.total], [L("上年结转", "Carried over"), rep.carried_over],
          [L("本年办结", "Closed"), rep.closed], [L("结转下年", "Carried forward"), rep.still_open]]
          .map(([label, n]) => h("div", { class: "limit-box" }, h("div", {}, label), h("div", { class: "value" }, fmtInt(n))))),
      reportTable(rep));
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    ctx.setParams({ year: val(form, "year"), dept: val(form, "dept") });
    await load(val(form, "year"), val(form, "dept"));
    ctx.announce(L("报告已更新", "Report updated"));
  });
  put(view, h("h1", {}, title), h("p", { class: "lead" }, L("按国务院办公厅政府信息与政务公开办公室发布的年度报告格式统计。", "In the national annual-report format.")),
    subnav("report"), form, out);
  await load(year, dept);
  return { title };
}

export async function render(view, ctx) {
  const [sub, arg] = ctx.args;
  if (sub === "dept" && arg) return renderDept(view, ctx, arg);
  if (sub === "apply") return renderApply(view, ctx);
  if (sub === "query") return renderQuery(view, ctx);
  if (sub === "report") return renderReport(view, ctx);
  return renderHome(view, ctx);
}
