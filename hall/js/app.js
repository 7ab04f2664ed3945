// The hall's shell: its pages and navigation state on the shared router (../shared/shell.js).
import { L } from "../shared/i18n.js";
import { h } from "../shared/util.js";
import { startShell, statePage } from "../shared/shell.js";

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

/** The header's links mark the page shown (an item's guide belongs to the catalog). */
function setNav({ page }) {
  const current = page === "item" ? "catalog" : page;
  for (const a of document.querySelectorAll("[data-route]")) {
    if (a.dataset.route === current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function notFound(view) {
  return statePage(view, L("页面不存在", "Page not found"),
    h("p", {}, L("您访问的页面不存在。", "The page you asked for does not exist."), " ", h("a", { href: "#/" }, L("返回首页", "Back to the home page"))));
}

startShell({
  pages: PAGES,
  home: "home",
  title: ["阳光政务网上政务大厅", "Sunlit Online Government Hall"],
  viewClass: "wrap page",
  errorClass: "notice error",
  nav: document.getElementById("site-nav"),
  before: setNav,
  notFound,
});
