// 主动公开目录 (#/disclosure-directory): the department keeps its 政府信息公开指南 (the office, how to apply,
// fees, remedies) and the categories of its directory, publishes documents with the day the
// information was formed and the day it was published (20 working days between them, 条例 art. 26:
// a later one is marked 逾期公开), and withdraws a document with a reason (kept, with who and why, in the
// list of withdrawn documents). Every change is published to the hall at once. Department supervision
// sees the directory without the forms.
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { fmtDay, h, put, shanghaiDay } from "../../shared/util.js";
import { call, holds, user } from "../session.js";
import { actionForm, empty, failure, heading, kv, section, table, tag } from "../ui.js";
import { deptLabel } from "../depts.js";

const GUIDE_TEXTS = [
  ["scope", ["主动公开的范围和方式", "What is published and how"]],
  ["how_to_apply", ["依申请公开的办理", "How to request information"]],
  ["fees", ["收费", "Fees"]],
  ["remedies", ["监督和救济", "Supervision and remedies"]],
];

/** "org 机构职能" per line → [{code, name}] (what PUT .../guide takes). */
export function parseCategories(text) {
  return String(text || "").split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const [code, ...rest] = line.split(/[\s:：，,]+/);
    return { code, name: rest.join(" ") };
  });
}

function guideForm(ctx, dept, doc) {
  const g = doc.guide || {};
  const office = g.office || {};
  const fields = [
    h("fieldset", { "data-field-wrap": "office" }, h("legend", {}, L("政府信息公开工作机构", "The disclosure office")),
      field({ name: "office.name", label: L("机构名称", "Name"), required: true, value: office.name || "" }),
      h("div", { class: "row2" },
        field({ name: "office.address", label: L("办公地址", "Address"), value: office.address || "" }),
        field({ name: "office.hours", label: L("办公时间", "Hours"), value: office.hours || "" })),
      h("div", { class: "row2" },
        field({ name: "office.phone", label: L("联系电话", "Phone"), value: office.phone || "" }),
        field({ name: "office.email", label: L("电子邮箱", "E-mail"), value: office.email || "" }))),
    ...GUIDE_TEXTS.map(([name, [zh, en]]) => field({ name, label: L(zh, en), type: "textarea", rows: 3, value: g[name] || "",
      hint: L("留空则使用平台的标准文字", "Left empty: the platform's standard wording") })),
    field({ name: "categories", label: L("目录类别（每行一个：代码 名称）", "Categories (one per line: code name)"), type: "textarea", rows: 6,
      value: (doc.categories || []).map((c) => `${c.code} ${c.name}`).join("\n"),
      hint: L("代码为小写字母、数字和下划线，如 policy 法规文件；仍有文件的类别不能删除", "Codes in lower case, e.g. policy; a category with documents cannot be removed") }),
  ];
  return actionForm({
    id: "guide-form", fields, submitText: L("保存并发布指南", "Save and publish the guide"),
    submit: (v) => {
      const officeBody = {};
      for (const k of ["name", "address", "hours", "phone", "email"]) if (v[`office.${k}`]) officeBody[k] = v[`office.${k}`];
      const body = { office: officeBody, categories: parseCategories(v.categories) };
      for (const [name] of GUIDE_TEXTS) if (v[name]) body[name] = v[name];
      return call("PUT", `/disclosure/departments/${encodeURIComponent(dept)}/guide`, { body });
    },
    done: async () => { ctx.working(); ctx.announce(L("指南已发布", "Guide published")); ctx.rerender(); },
  });
}

function publishForm(ctx, dept, doc) {
  const today = shanghaiDay();
  const fields = [
    field({ name: "category", label: L("类别", "Category"), required: true, options: [["", L("请选择", "Choose")], ...(doc.categories || []).map((c) => [c.code, c.name])] }),
    field({ name: "title", label: L("标题", "Title"), required: true }),
    h("div", { class: "row2" },
      field({ name: "doc_no", label: L("文号", "Document number"), placeholder: "徐环发〔2026〕12号" }),
      field({ name: "issuer", label: L("发布机构", "Issued by") })),
    h("div", { class: "row2" },
      field({ name: "formed_on", label: L("信息形成（变更）日期", "Formed or changed on"), type: "date", required: true,
        hint: L("应自形成或变更之日起 20 个工作日内公开", "Publish within 20 working days of forming") }),
      field({ name: "published_on", label: L("发布日期", "Published on"), type: "date", value: today })),
    field({ name: "summary", label: L("摘要", "Summary"), type: "textarea", rows: 2 }),
    field({ name: "body", label: L("正文", "Text"), type: "textarea", rows: 5, hint: L("正文、摘要、全文链接至少填写一项", "Give the text, a summary or a link") }),
    field({ name: "url", label: L("全文链接", "Link to the full text"), type: "url", placeholder: "https://" }),
  ];
  return actionForm({
    id: "document-form", fields, submitText: L("发布文件", "Publish"),
    submit: (v) => {
      const body = {};
      for (const [k, value] of Object.entries(v)) if (value) body[k] = value;
      return call("POST", `/disclosure/departments/${encodeURIComponent(dept)}/documents`, { body });
    },
    done: async () => { ctx.working(); ctx.announce(L("文件已发布", "Published")); ctx.rerender(); },
  });
}

function withdrawn(doc, kept) {
  const names = new Map((doc.categories || []).map((c) => [c.code, c.name]));
  const gone = kept.filter((d) => d.status === "withdrawn");
  if (!gone.length) return null;
  return section(L("已撤销公开的文件", "Withdrawn documents"), table({ caption: L("撤销公开的文件及理由（大厅不再显示）", "Withdrawn documents and why (no longer in the hall)"), rows: gone, columns: [
    { label: L("索引号", "Index no."), render: (d) => h("span", { class: "code" }, d.index_no) },
    { label: L("标题", "Title"), render: (d) => h("div", { class: "v" }, d.title, h("div", { class: "small muted" }, names.get(d.category) || d.category)) },
    { label: L("发布", "Published"), render: (d) => `${fmtDay(d.published_on)}${d.by ? ` · ${d.by}` : ""}` },
    { label: L("撤销", "Withdrawn"), render: (d) => h("div", { class: "v" }, `${fmtDay((d.withdrawn || {}).on)} · ${(d.withdrawn || {}).by || ""}`,
      h("div", { class: "small" }, L(`理由：${(d.withdrawn || {}).reason || "—"}`, `Reason: ${(d.withdrawn || {}).reason || "—"}`))) },
  ] }));
}

function documents(ctx, dept, doc, editable) {
  const names = new Map((doc.categories || []).map((c) => [c.code, c.name]));
  const docs = doc.documents || [];
  if (!docs.length) return empty(L("目录中还没有文件。", "The directory has no documents yet."));
  const columns = [
    { label: L("索引号", "Index no."), render: (d) => h("span", { class: "code" }, d.index_no) },
    { label: L("标题", "Title"), render: (d) => h("div", { class: "v" }, d.title, d.doc_no ? h("div", { class: "small muted" }, d.doc_no) : null) },
    { label: L("类别", "Category"), render: (d) => names.get(d.category) || d.category },
    { label: L("形成日期", "Formed"), render: (d) => fmtDay(d.formed_on) },
    { label: L("发布日期", "Published"), render: (d) => h("div", { class: "v" }, fmtDay(d.published_on), d.late ? tag(L("逾期公开", "published late"), "red") : null) },
  ];
  if (editable) {
    columns.push({ label: L("撤销公开", "Withdraw"), render: (d) => h("details", { class: "act", "data-doc": d.doc_id }, h("summary", {}, L("撤销", "Withdraw")),
      actionForm({
        fields: [field({ name: "reason", label: L("撤销理由", "Reason"), type: "textarea", rows: 2, required: true })],
        submitText: L("确认撤销", "Withdraw"),
        submit: (v) => call("POST", `/disclosure/departments/${encodeURIComponent(dept)}/documents/${encodeURIComponent(d.doc_id)}/withdraw`, { body: { reason: v.reason } }),
        done: async () => { ctx.working(); ctx.announce(L("已撤销公开", "Withdrawn")); ctx.rerender(); },
      })) });
  }
  return table({ caption: L("已公开的文件，最新发布的在前", "Published documents, newest first"), columns, rows: docs });
}

export async function render(view, ctx) {
  const u = user();
  const title = L("主动公开目录", "Published directory");
  const dept = u.dept_code || ctx.params.get("dept_code");
  put(view, ...heading(title, L("本机关的政府信息公开指南和主动公开目录；保存后即在网上政务大厅公开。", "The department's guide and directory; published in the hall as soon as saved.")));
  if (!dept) {
    put(view, empty(L("请从部门列表选择部门。", "Choose a department.")));
    return { title };
  }
  const [r, k] = await Promise.all([call("GET", `/disclosure/departments/${encodeURIComponent(dept)}`),
    call("GET", `/staff/disclosure/departments/${encodeURIComponent(dept)}/documents`)]);
  if (!r.ok) {
    put(view, failure(r.error));
    return { title };
  }
  const doc = r.data;
  const editable = holds("handler", "dept_head") && u.dept_code === dept;
  const office = (doc.guide || {}).office;
  const published = (doc.documents || []).length;
  const late = (doc.documents || []).filter((d) => d.late).length;
  put(view, h("p", { class: "muted", id: "directory-summary" }, deptLabel(dept), " · ",
    L(`已公开文件 ${published} 件（逾期公开 ${late} 件），类别 ${(doc.categories || []).length} 个`, `${published} documents (${late} late), ${(doc.categories || []).length} categories`),
    (doc.guide || {}).updated_on ? L(`；指南更新于 ${fmtDay(doc.guide.updated_on)}`, `; guide updated ${fmtDay(doc.guide.updated_on)}`) : L("；尚未发布指南", "; no guide published yet")));
  put(view, h("div", { class: "cols" },
    section(L("公开指南", "The guide"), office ? kv([
      [L("工作机构", "Office"), office.name],
      [L("地址", "Address"), office.address || null],
      [L("办公时间", "Hours"), office.hours || null],
      [L("电话", "Phone"), office.phone || null],
      [L("电子邮箱", "E-mail"), office.email || null],
    ]) : h("p", { class: "notice warn" }, L("本机关尚未发布政府信息公开指南：大厅显示平台的标准文字。", "No guide yet: the hall shows the standard wording.")),
    editable ? h("details", { class: "act", "data-action": "guide", open: office ? null : true }, h("summary", {}, L("编辑指南和类别", "Edit the guide and categories")), guideForm(ctx, dept, doc)) : null),
    section(L("目录类别", "Categories"), h("ul", { class: "plain", id: "directory-categories" }, (doc.categories || []).map((c) =>
      h("li", {}, `${c.name}`, h("span", { class: "muted small" }, ` ${c.code} · ${L(`${c.count || 0} 件`, `${c.count || 0}`)}`)))))));
  if (editable) put(view, section(L("发布文件", "Publish a document"), h("details", { class: "act", "data-action": "publish" }, h("summary", {}, L("发布新文件", "Publish a new document")), publishForm(ctx, dept, doc))));
  put(view, section(L("已公开文件", "Published documents"), h("div", { id: "directory-documents" }, documents(ctx, dept, doc, editable))));
  if (k.ok) {
    const gone = withdrawn(doc, k.data.items || []);
    if (gone) put(view, gone);
  } else put(view, failure(k.error, L("已撤销文件加载失败", "Could not load the withdrawn documents")));
  return { title };
}
