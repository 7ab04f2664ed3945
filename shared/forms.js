// Accessible form building: every control labelled, hints and errors wired with aria-describedby,
// an error summary that links to each bad field, and server `details` shown beside the named field.
import { L } from "./i18n.js";
import { h, nextId } from "./util.js";

function reqMark(required) {
  return required ? h("span", { class: "req", "aria-hidden": "true" }, "*") : null;
}

function wire(control, field, hint, error) {
  const ids = [];
  if (hint) ids.push(hint.id);
  ids.push(error.id);
  control.setAttribute("aria-describedby", ids.join(" "));
  control.dataset.field = field;
}

/**
 * A labelled input, select or textarea.
 * opts: {name, field (API path, e.g. "applicant.name"), label, type, required, hint, options: [[value, text]],
 *        rows, value, autocomplete, inputmode, maxlength, placeholder}
 */
export function field(opts) {
  const id = opts.id || nextId(opts.name || "f");
  const hint = opts.hint ? h("span", { class: "hint", id: `${id}-hint` }, opts.hint) : null;
  const error = h("p", { class: "field-error", id: `${id}-error` });
  let control;
  const common = {
    id, name: opts.name, required: !!opts.required, "aria-required": opts.required ? "true" : null,
    autocomplete: opts.autocomplete || null, maxlength: opts.maxlength || null,
  };
  if (opts.options) {
    control = h("select", common, opts.options.map(([value, text]) => h("option", { value, selected: String(value) === String(opts.value ?? "") }, text)));
  } else if (opts.type === "textarea") {
    control = h("textarea", { ...common, rows: opts.rows || 6, placeholder: opts.placeholder || null });
    if (opts.value) control.value = opts.value;
  } else {
    control = h("input", {
      ...common, type: opts.type || "text", inputmode: opts.inputmode || null, placeholder: opts.placeholder || null,
      spellcheck: opts.spellcheck === false ? "false" : null, value: opts.value ?? "",
    });
  }
  wire(control, opts.field || opts.name, hint, error);
  const label = h("label", { for: id }, opts.label, reqMark(opts.required));
  return h("div", { class: "field", "data-field-wrap": opts.field || opts.name }, label, hint, control, error);
}

/** A group of radio buttons or checkboxes in a fieldset with a legend. choices: [[value, text, extra?]] */
export function choices(opts) {
  const id = opts.id || nextId(opts.name);
  const hint = opts.hint ? h("span", { class: "hint", id: `${id}-hint` }, opts.hint) : null;
  const error = h("p", { class: "field-error", id: `${id}-error` });
  const type = opts.type || "radio";
  const items = opts.choices.map(([value, text, extra], i) => {
    const cid = `${id}-${i}`;
    const checked = type === "radio" ? String(opts.value ?? "") === String(value) : (opts.value || []).includes(value);
    const input = h("input", { type, id: cid, name: opts.name, value, checked, onchange: opts.onchange || null });
    if (i === 0) input.dataset.field = opts.field || opts.name;
    if (extra && extra.required) input.dataset.required = "true";
    return h("div", { class: "choice" }, input, h("label", { for: cid }, text, extra && extra.note ? h("span", { class: "muted small" }, ` ${extra.note}`) : null));
  });
  const fs = h("fieldset", {
    id, "data-field-wrap": opts.field || opts.name,
    "aria-describedby": [hint && hint.id, error.id].filter(Boolean).join(" "),
  }, h("legend", {}, opts.legend, reqMark(opts.required)), hint, items, error);
  return fs;
}

/** A single checkbox with its label. */
export function checkbox(opts) {
  const id = opts.id || nextId(opts.name);
  const error = h("p", { class: "field-error", id: `${id}-error` });
  const input = h("input", { type: "checkbox", id, name: opts.name, checked: !!opts.checked, onchange: opts.onchange || null, "aria-describedby": error.id });
  input.dataset.field = opts.field || opts.name;
  return h("div", { class: "field", "data-field-wrap": opts.field || opts.name }, h("div", { class: "choice" }, input, h("label", { for: id }, opts.label)), error);
}

/** Remove all error marks from a form. */
export function clearErrors(form) {
  form.querySelector(".error-summary")?.remove();
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".field-error")) el.textContent = "";
}

function wrapFor(form, path) {
  // Find the field whose API path matches, trying "applicant.name", then shorter prefixes ("materials.2" → "materials").
  const clean = String(path || "").replace(/^(body|request)\./, "");
  const parts = clean.split(".");
  for (let n = parts.length; n > 0; n -= 1) {
    const key = parts.slice(0, n).join(".");
    const wrap = [...form.querySelectorAll("[data-field-wrap]")].find((w) => w.dataset.fieldWrap === key);
    if (wrap) return wrap;
  }
  return null;
}

/**
 * Show errors: each detail beside its field (aria-invalid), plus a summary at the top of the form
 * that is focused so screen-reader and keyboard users land on it.
 * details: [{field, message}]; message: the overall message.
 */
export function showErrors(form, details, message) {
  clearErrors(form);
  const list = h("ul", {});
  for (const d of details) {
    const wrap = wrapFor(form, d.field);
    if (wrap) {
      const err = wrap.querySelector(".field-error");
      err.textContent = err.textContent ? `${err.textContent}；${d.message}` : d.message;
      const control = wrap.matches("fieldset") ? wrap.querySelector("input") : wrap.querySelector("input, select, textarea");
      if (control && !wrap.matches("fieldset")) control.setAttribute("aria-invalid", "true");
      const target = control ? control.id : wrap.id;
      list.append(h("li", {}, h("a", {
        href: `#${target}`,
        onclick: (e) => {
          e.preventDefault();
          document.getElementById(target)?.focus();
        },
      }, d.message)));
    } else {
      list.append(h("li", {}, d.message));
    }
  }
  const summary = h("div", { class: "error-summary", role: "alert", tabindex: "-1" },
    h("h2", {}, message || L("请更正以下问题", "Please correct the following")), details.length ? list : null);
  form.prepend(summary);
  summary.focus();
}

/** Client-side checks before sending: required controls and custom rules. Returns details. */
export function validate(form, rules = []) {
  const details = [];
  for (const wrap of form.querySelectorAll("[data-field-wrap]")) {
    if (wrap.closest("[hidden]")) continue;
    const control = wrap.querySelector("input:not([type=radio]):not([type=checkbox]), select, textarea");
    const label = wrap.querySelector("label, legend");
    const name = label ? label.textContent.replace(/\*$/, "").trim() : wrap.dataset.fieldWrap;
    if (control && control.required && !control.value.trim()) {
      details.push({ field: wrap.dataset.fieldWrap, message: L(`请填写“${name}”`, `${name} is required`) });
    }
    if (wrap.matches("fieldset") && wrap.querySelector("input[type=radio]")) {
      const required = wrap.querySelector(".req");
      if (required && !wrap.querySelector("input:checked")) {
        details.push({ field: wrap.dataset.fieldWrap, message: L(`请选择“${name}”`, `Choose ${name}`) });
      }
    }
  }
  for (const rule of rules) {
    const problem = rule();
    if (problem) details.push(problem);
  }
  return details;
}

/** Mark a form busy while a request is in flight. */
export function busy(form, on) {
  form.setAttribute("aria-busy", on ? "true" : "false");
  for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = on;
}

/** Read a form control's trimmed value by name. */
export function val(form, name) {
  const el = form.elements.namedItem(name);
  if (!el) return "";
  if (el instanceof RadioNodeList) return el.value;
  return (el.value || "").trim();
}

/** A copy-to-clipboard button for a value, with a spoken confirmation. */
export function copyButton(value, what) {
  const status = h("span", { class: "muted small", role: "status" });
  const btn = h("button", {
    type: "button", class: "copy-btn",
    onclick: async () => {
      let ok = false;
      try {
        await navigator.clipboard.writeText(value);
        ok = true;
      } catch {
        ok = false;
      }
      status.textContent = ok ? L("已复制", "Copied") : L("请手动选中复制", "Select and copy it manually");
    },
  }, L(`复制${what}`, `Copy ${what}`));
  return [btn, status];
}
