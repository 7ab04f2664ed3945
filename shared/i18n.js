// Language of static text (中文 default, English optional). Data from the catalog stays as published.
const KEY = "sunlit.lang";

function stored() {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

let lang = stored() === "en" ? "en" : "zh";

/** The current language: "zh" or "en". */
export function getLang() {
  return lang;
}

/** Pick the text for the current language. */
export function L(zh, en) {
  return lang === "en" ? en : zh;
}

/** Switch language, remember it, and update the static shell. */
export function setLang(next) {
  lang = next === "en" ? "en" : "zh";
  try {
    window.localStorage.setItem(KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  applyStatic(document);
}

/** Swap text and labels of shell elements marked with data-en / data-en-label. */
export function applyStatic(root) {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  for (const el of root.querySelectorAll("[data-en]")) {
    if (el.dataset.zh === undefined) el.dataset.zh = el.textContent;
    el.textContent = lang === "en" ? el.dataset.en : el.dataset.zh;
  }
  for (const el of root.querySelectorAll("[data-en-label]")) {
    if (el.dataset.zhLabel === undefined) el.dataset.zhLabel = el.getAttribute("aria-label") || "";
    el.setAttribute("aria-label", lang === "en" ? el.dataset.enLabel : el.dataset.zhLabel);
  }
  const toggle = document.getElementById("lang-toggle");
  if (toggle) {
    toggle.textContent = lang === "en" ? "中文" : "English";
    toggle.lang = lang === "en" ? "zh-CN" : "en";
    toggle.setAttribute("aria-label", lang === "en" ? "切换到中文" : "Switch to English");
  }
}
