// The shell both sites run: hash router, a page rendered into <main>, the failure state, title, focus
// after navigation, live region, language toggle, skip link and phone menu. Each site gives its pages,
// a guard run before every page (the console's sign-in), its not-found page and its title.
import { applyStatic, getLang, L, setLang } from "./i18n.js";
import { h, put, route, swap } from "./util.js";

/** "#/item/320300015XK00400?x=1" → {page: "item", args: ["320300015XK00400"], params}; an empty path is ``home``. */
export function parseHash(hash, home = "") {
  const raw = (hash || "").replace(/^#\/?/, "");
  const [path, query] = raw.split("?");
  const segs = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { page: segs[0] || home, args: segs.slice(1), params: new URLSearchParams(query || "") };
}

/** Say something to screen-reader users (polite live region). */
export function announce(text) {
  const el = document.getElementById("announcer");
  if (!el) return;
  el.textContent = "";
  window.setTimeout(() => { el.textContent = text; }, 50);
}

/** A page of its own: a heading (focusable, so navigation can land on it) and what to say. */
export function statePage(view, title, ...body) {
  put(view, h("h1", { tabindex: "-1" }, title), ...body);
  return { title };
}

/**
 * Start a site's shell. site: {pages (name → loader or {load, …}), home (the page of an empty hash),
 * title ([zh, en]), viewClass, errorClass, nav (what the menu button opens), before(route, spec) (may be
 * async; false: stop, it redirected), refuse(route, spec, view) (a result when the page may not be
 * shown), notFound(view)}. A page exports render(view, ctx) → {title}; <main> then carries
 * data-ready="<page>" and a new data-renders count (the end-to-end tests wait on them).
 */
export function startShell(site) {
  const main = document.getElementById("main");
  const menuToggle = document.getElementById("menu-toggle");
  const nav = site.nav;
  let renderToken = 0;
  let renders = 0;

  function collapseMenu() {
    if (!menuToggle || !nav) return;
    menuToggle.setAttribute("aria-expanded", "false");
    nav.dataset.collapsed = "true";
  }

  async function render(focusHeading = false) {
    const hash = window.location.hash;
    if (hash && !hash.startsWith("#/")) return; // an in-page anchor such as the skip link target
    const token = ++renderToken;
    const alive = () => token === renderToken;
    const { page, args, params } = parseHash(hash, site.home);
    const spec = site.pages[page] || null;
    if (site.before && (await site.before({ page, args, params }, spec)) === false) return;
    if (!alive()) return;
    collapseMenu();
    delete main.dataset.ready;
    const view = h("div", { class: site.viewClass });
    const ctx = {
      page, args, params, announce, alive,
      rerender: () => render(false),
      /** The page is about to change (an action was taken): not ready until it has re-rendered. */
      working: () => { delete main.dataset.ready; main.setAttribute("aria-busy", "true"); },
      go: (p, a = [], q = {}) => { window.location.hash = route(p, a, q); },
      /** Update the query part of the current route without re-rendering (filters). */
      setParams: (next) => {
        const url = route(page, args, next);
        if (url !== window.location.hash) history.replaceState(null, "", url);
      },
    };
    let result;
    try {
      const load = typeof spec === "function" ? spec : spec && spec.load;
      const mod = load ? await load() : null;
      if (!alive()) return;
      main.replaceChildren(view);
      main.setAttribute("aria-busy", "true");
      if (!mod) result = site.notFound(view);
      else result = (site.refuse && site.refuse({ page, args, params }, spec, view)) || await mod.render(view, ctx);
    } catch (err) {
      if (!alive()) return;
      swap(view);
      result = statePage(view, L("页面加载失败", "The page failed to load"),
        h("p", { class: site.errorClass, role: "alert" }, L("请刷新页面重试。", "Please reload the page."), " ", String(err && err.message ? err.message : "")));
    }
    if (!alive()) return;
    main.removeAttribute("aria-busy");
    renders += 1;
    main.dataset.renders = String(renders);
    main.dataset.ready = page;
    const name = L(...site.title);
    document.title = result && result.title ? `${result.title} - ${name}` : name;
    if (focusHeading) {
      const heading = view.querySelector("h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: false });
      }
      window.scrollTo(0, 0);
    }
  }

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
  return { render };
}
