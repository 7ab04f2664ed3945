// The hall's shell: hash router, navigation state, language toggle, focus management.
import { applyStatic, getLang, L, setLang } from "./i18n.js";
import { h, put, route, swap } from "./util.js";

const PAGES = {
  home: () => import("./pages/home.js"),
  catalog: () => import("./pages/catalog.js"),
  item: () => import("./pages/item.js"),
  apply: () => import("./pages/apply.js"),
  query: () => import("./pages/query.js"),
  complaint: () => import("./pages/complaint.js"),
  consult: () => import("./pages/consult.js"),
  evaluate: () => import("./pages/evaluate.js"),
  track: () => import("./pages/track.js"),
  stats: () => import("./pages/stats.js"),
  results: () => import("./pages/results.js"),
  disclosure: () => import("./pages/disclosure.js"),
};

const main = document.getElementById("main");
let renderToken = 0;

/** "#/item/320300015XK00400?x=1" → {page: "item", args: ["320300015XK00400"], params} */
export function parseHash(hash) {
  const raw = (hash || "").replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  const segs = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { page: segs[0] || "home", args: segs.slice(1), params: new URLSearchParams(query || "") };
}

function setNav(page) {
  const current = page === "item" ? "catalog" : page;
  for (const a of document.querySelectorAll("[data-route]")) {
    if (a.dataset.route === current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function notFound(view) {
  put(view,
    h("h1", { tabindex: "-1" }, L("页面不存在", "Page not found")),
    h("p", {}, L("您访问的页面不存在。", "The page you asked for does not exist."), " ", h("a", { href: "#/" }, L("返回首页", "Back to the home page"))),
  );
  return { title: L("页面不存在", "Page not found") };
}

async function render(focusHeading = false) {
  const hash = window.location.hash;
  if (hash && !hash.startsWith("#/")) return; // an in-page anchor such as the skip link target
  const token = ++renderToken;
  const { page, args, params } = parseHash(hash);
  setNav(page);
  collapseMenu();
  delete main.dataset.ready;
  const view = h("div", { class: "wrap page" });
  const ctx = {
    args, params,
    alive: () => token === renderToken,
    /** Update the query part of the current route without re-rendering (filters). */
    setParams: (next) => {
      const url = route(page, args, next);
      if (url !== window.location.hash) history.replaceState(null, "", url);
    },
    announce,
  };
  let result;
  try {
    const loader = PAGES[page];
    const mod = loader ? await loader() : null;
    if (token !== renderToken) return;
    main.replaceChildren(view);
    main.setAttribute("aria-busy", "true");
    result = mod ? await mod.render(view, ctx) : notFound(view);
  } catch (err) {
    if (token !== renderToken) return;
    swap(view,
      h("h1", { tabindex: "-1" }, L("页面加载失败", "The page failed to load")),
      h("p", { class: "notice error", role: "alert" }, L("请刷新页面重试。", "Please reload the page."), " ", String(err && err.message ? err.message : "")),
    );
    result = { title: L("页面加载失败", "The page failed to load") };
  }
  if (token !== renderToken) return;
  main.removeAttribute("aria-busy");
  main.dataset.ready = page; // rendered and its data loaded (used by the end-to-end tests)
  const site = L("阳光政务网上政务大厅", "Sunlit Online Government Hall");
  document.title = result && result.title ? `${result.title} - ${site}` : site;
  if (focusHeading) {
    const heading = view.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: false });
    }
    window.scrollTo(0, 0);
  }
}

/** Say something to screen-reader users (polite live region). */
export function announce(text) {
  const el = document.getElementById("announcer");
  if (!el) return;
  el.textContent = "";
  window.setTimeout(() => {
    el.textContent = text;
  }, 50);
}

const menuToggle = document.getElementById("menu-toggle");
const nav = document.getElementById("site-nav");

function collapseMenu() {
  if (!menuToggle || !nav) return;
  menuToggle.setAttribute("aria-expanded", "false");
  nav.dataset.collapsed = "true";
}

function init() {
  applyStatic(document);
  collapseMenu();
  menuToggle?.addEventListener("click", () => {
    const open = menuToggle.getAttribute("aria-expanded") !== "true";
    menuToggle.setAttribute("aria-expanded", String(open));
    nav.dataset.collapsed = String(!open);
  });
  document.getElementById("lang-toggle")?.addEventListener("click", () => {
    setLang(getLang() === "en" ? "zh" : "en");
    render(false).then(() => document.getElementById("lang-toggle")?.focus());
  });
  document.querySelector("[data-skip]")?.addEventListener("click", (e) => {
    e.preventDefault();
    main.focus();
    main.scrollIntoView();
  });
  window.addEventListener("hashchange", () => render(true));
  render(false);
}

init();
