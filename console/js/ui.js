// Console building blocks on top of the shared DOM builder and forms: page headings, lights,
// empty/error states, data tables that become labelled cards at phone width, filters kept in the
// URL, cursor paging, and action forms that show the API's field errors beside their field.
import { L } from "../shared/i18n.js";
import { busy, showErrors, clearErrors } from "../shared/forms.js";
import { h, nextId, pick, route, put } from "../shared/util.js";
import { call } from "./session.js";
import { LEVELS } from "./names.js";

/** The page's h1 and an optional lead paragraph. */
export function heading(title, lead) {
  return [h("h1", { tabindex: "-1" }, title), lead ? h("p", { class: "lead" }, lead) : null];
}

/** A section with an h2 that names it for assistive technology. */
export function section(title, ...content) {
  const id = nextId("sec");
  return h("section", { class: "block", "aria-labelledby": id }, h("h2", { id }, title), ...content);
}

/** The board colour as a dot and a word (never colour alone). */
export function light(colour, text) {
  const c = colour || "green";
  return h("span", { class: `light light-${c}` }, h("span", { class: "dot", "aria-hidden": "true" }), text || pick(LEVELS, c, c));
}

export function tag(text, kind) {
  return h("span", { class: `tag${kind ? ` ${kind}` : ""}` }, text);
}

/** Nothing to show (in Chinese first). */
export function empty(text) {
  return h("p", { class: "state empty", role: "status" }, text || L("暂无数据。", "Nothing to show."));
}

/** An API error as people read it. */
export function failure(error, what) {
  const msg = error && error.message ? error.message : L("服务暂时不可用，请稍后再试。", "The service is unavailable. Please try again later.");
  return h("div", { class: "state error", role: "alert" },
    h("strong", {}, what || L("加载失败", "Could not load")), " ", msg,
    error && error.status === 403 ? h("span", {}, " ", L("（您的角色无权查看此内容）", "(your role may not see this)")) : null);
}

/** Definition list of [label, value] (null values are skipped). */
export function kv(rows, cls) {
  const dl = h("dl", { class: `kv${cls ? ` ${cls}` : ""}` });
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === false) continue;
    put(dl, h("dt", {}, label), h("dd", {}, value === "" ? "—" : value));
  }
  return dl;
}

/**
 * A data table. columns: [{label, render(row) → node|text, cls, key}]. At phone width it turns
 * into one labelled card per row (``cards``), so nothing needs horizontal scrolling.
 */
export function table({ caption, columns, rows, cards = true, rowAttrs }) {
  const thead = h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.cls || null }, c.label))));
  const tbody = h("tbody", {}, rows.map((row, i) => h("tr", rowAttrs ? rowAttrs(row, i) : {},
    columns.map((c, k) => {
      const cell = h("div", { class: "v" }, (c.render ? c.render(row, i) : row[c.key]) ?? "—");
      const attrs = { class: c.cls || null, "data-label": c.label };
      return k === 0 && c.header !== false ? h("th", { scope: "row", ...attrs }, cell) : h("td", attrs, cell);
    }))));
  const t = h("table", { class: cards ? "data cards" : "data" }, caption ? h("caption", {}, caption) : null, thead, tbody);
  return cards ? t : h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption || L("数据表", "Data table") }, t);
}

/** Cursor paging: the next page keeps the filters and adds ``cursor`` to the URL (Back returns). */
export function pager(ctx, next, count) {
  const params = Object.fromEntries(ctx.params.entries());
  const parts = [];
  if (count !== undefined) parts.push(h("span", { class: "muted" }, L(`本页 ${count} 条`, `${count} on this page`)));
  if (params.cursor) {
    const first = { ...params };
    delete first.cursor;
    parts.push(h("a", { href: route(ctx.page, ctx.args, first), class: "btn btn-secondary btn-small" }, L("回到第一页", "First page")));
  }
  if (next) parts.push(h("a", { href: route(ctx.page, ctx.args, { ...params, cursor: next }), class: "btn btn-secondary btn-small", rel: "next" }, L("下一页", "Next page")));
  return parts.length ? h("nav", { class: "pager", "aria-label": L("分页", "Pages") }, parts) : null;
}

/**
 * Filters kept in the URL: a GET-like form whose submission navigates to the same page with the
 * chosen values (a link can be shared). filters: [{name, label, options?: [[v, text]], type, placeholder}]
 */
export function filterBar(ctx, filters) {
  const form = h("form", { class: "filters", role: "search", "aria-label": L("筛选", "Filters") });
  for (const f of filters) {
    const id = nextId(`flt-${f.name}`);
    const value = ctx.params.get(f.name) || "";
    const control = f.options
      ? h("select", { id, name: f.name }, [["", L("全部", "All")], ...f.options].map(([v, t]) => h("option", { value: v, selected: String(v) === value }, t)))
      : h("input", { id, name: f.name, type: f.type || "text", value, placeholder: f.placeholder || null, inputmode: f.inputmode || null });
    put(form, h("div", { class: "field" }, h("label", { for: id }, f.label), control));
  }
  put(form, h("div", { class: "field" }, h("button", { type: "submit", class: "btn" }, L("筛选", "Filter"))));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = {};
    for (const f of filters) {
      const v = (form.elements.namedItem(f.name).value || "").trim();
      if (v) next[f.name] = v;
    }
    for (const keep of ctx.keepParams || []) if (ctx.params.get(keep)) next[keep] = ctx.params.get(keep);
    window.location.hash = route(ctx.page, ctx.args, next);
  });
  return form;
}

/** The query for an API list: the URL's filters plus ``cursor`` and ``limit``. */
export function listQuery(ctx, names, extra = {}) {
  const q = { ...extra };
  for (const n of [...names, "cursor"]) {
    const v = ctx.params.get(n);
    if (v) q[n] = v;
  }
  return q;
}

/**
 * A list page: filters, one API page, a table (or ``renderItems``), paging, empty and error states.
 * opts: {path, filters, query (extra), columns, caption, emptyText, renderItems(items), before(data)}
 */
export async function listing(ctx, opts) {
  const wrap = h("div", { class: "listing" });
  if (opts.filters && opts.filters.length) put(wrap, filterBar(ctx, opts.filters));
  const names = (opts.filters || []).map((f) => f.name);
  const r = await call("GET", opts.path, { query: listQuery(ctx, names, { limit: opts.limit || 50, ...(opts.query || {}) }) });
  if (!r.ok) {
    put(wrap, failure(r.error));
    return { node: wrap, data: null };
  }
  const items = (r.data && r.data.items) || [];
  if (opts.before) put(wrap, opts.before(r.data));
  if (!items.length) put(wrap, empty(opts.emptyText));
  else put(wrap, opts.renderItems ? opts.renderItems(items, r.data) : table({ caption: opts.caption, columns: opts.columns, rows: items }));
  put(wrap, pager(ctx, r.data.next, items.length));
  return { node: wrap, data: r.data };
}

/** "2026-12-05T02:41:37Z" → local datetime-local value in Asia/Shanghai; and back to ISO +08:00. */
export function toInstant(localValue) {
  if (!localValue) return null;
  const v = localValue.length === 16 ? `${localValue}:00` : localValue;
  return `${v}+08:00`;
}

/** A field's current value from a form: text trimmed, checkboxes as a list, numbers as numbers. */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === "checkbox") {
      // A lone checkbox (no value of its own) is a yes/no; a group of them is a list.
      if (el.dataset.single === "true" || el.value === "on") out[el.name] = el.checked;
      else {
        out[el.name] = out[el.name] || [];
        if (el.checked) out[el.name].push(el.value);
      }
    } else if (el.type === "radio") {
      if (el.checked) out[el.name] = el.value;
    } else if (el.tagName !== "BUTTON") {
      out[el.name] = (el.value || "").trim();
    }
  }
  return out;
}

/**
 * An action form: ``fields`` (nodes from shared/forms.js), a submit button, and ``submit(values)``
 * → a promise of an API answer. Field errors from the API (``details``) appear beside their field
 * and in a focused summary; success calls ``done(data)``.
 */
export function actionForm({ id, fields, submitText, submit, done, note, secondary }) {
  const status = h("p", { class: "form-status", role: "status" });
  const form = h("form", { class: "action-form", id: id || null, novalidate: true },
    note ? h("p", { class: "muted small" }, note) : null,
    fields,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, submitText), secondary || null),
    status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearErrors(form);
    status.textContent = "";
    busy(form, true);
    let r;
    try {
      r = await submit(values(form), form);
    } finally {
      busy(form, false);
    }
    if (!r) return;
    if (r.ok) {
      status.textContent = L("已提交。", "Done.");
      if (done) await done(r.data, form);
      return;
    }
    const details = (r.error.details || []).map((d) => ({ field: d.field || d.loc || "", message: d.message || d.msg || String(d.type || "") }));
    showErrors(form, details, r.error.message);
  });
  return form;
}

/** Show a person's name or number only as far as the role needs: 张* / 3203**********1000. */
export function maskName(name) {
  if (!name) return "—";
  const s = String(name);
  return s.length <= 1 ? "*" : s[0] + "*".repeat(Math.min(s.length - 1, 2));
}

export function maskId(text) {
  if (!text) return "—";
  const s = String(text);
  return s.length <= 6 ? "*".repeat(s.length) : `${s.slice(0, 4)}${"*".repeat(s.length - 8)}${s.slice(-4)}`;
}

export function link(href, text, attrs = {}) {
  return h("a", { href, ...attrs }, text);
}
