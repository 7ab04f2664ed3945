// The console's shell: its pages, the sign-in guard and navigation by role, on the shared router
// (../shared/shell.js).
import { L } from "../shared/i18n.js";
import { h, pick, swap } from "../shared/util.js";
import { startShell, statePage } from "../shared/shell.js";
import * as session from "./session.js";
import { ROLES } from "./names.js";
import { deptName, loadDepartments } from "./depts.js";
import { config } from "../shared/data.js";

// Pages load on demand. ``roles`` says who may open a page (absent: any signed-in user).
const PAGES = {
  login: { load: () => import("./pages/login.js"), public: true },
  password: { load: () => import("./pages/account.js"), restricted: true },
  mfa: { load: () => import("./pages/account.js"), restricted: true },
  account: { load: () => import("./pages/account.js") },
  worklist: { load: () => import("./pages/worklist.js"), roles: ["handler", "dept_head"] },
  case: { load: () => import("./pages/case.js"), roles: ["handler", "dept_head", "dept_supervision", "supervisor", "legal"] },
  "penalty-new": { load: () => import("./pages/penalty_new.js"), roles: ["handler", "dept_head"] },
  "coercion-new": { load: () => import("./pages/coercion_new.js"), roles: ["handler", "dept_head"] },
  signals: { load: () => import("./pages/signals.js"), roles: ["handler", "dept_head", "dept_supervision", "supervisor"] },
  findings: { load: () => import("./pages/signals.js"), roles: ["handler", "dept_head", "dept_supervision", "supervisor", "legal"] },
  complaints: { load: () => import("./pages/complaints.js"), roles: ["handler", "dept_head", "dept_supervision", "supervisor"] },
  complaint: { load: () => import("./pages/complaints.js"), roles: ["handler", "dept_head", "dept_supervision", "supervisor"] },
  consultations: { load: () => import("./pages/consultations.js"), roles: ["handler", "dept_head", "dept_supervision", "supervisor"] },
  items: { load: () => import("./pages/items.js"), roles: ["handler", "dept_head"] },
  declare: { load: () => import("./pages/declare.js"), roles: ["handler", "dept_head"] },
  board: { load: () => import("./pages/board.js"), roles: ["supervisor", "dept_supervision"] },
  exceptions: { load: () => import("./pages/exceptions.js"), roles: ["supervisor", "dept_supervision", "dept_head"] },
  "spot-checks": { load: () => import("./pages/spot_checks.js"), roles: ["supervisor"] },
  evaluation: { load: () => import("./pages/evaluation.js"), roles: ["supervisor", "dept_supervision", "dept_head"] },
  points: { load: () => import("./pages/service_points.js"), roles: ["supervisor", "legal", "dept_supervision", "dept_head", "handler"] },
  letter: { load: () => import("./pages/evaluation.js"), roles: ["supervisor", "dept_supervision", "dept_head"] },
  risk: { load: () => import("./pages/risk.js"), roles: ["supervisor", "dept_supervision", "dept_head"] },
  pending: { load: () => import("./pages/pending.js"), roles: ["legal"] },
  officers: { load: () => import("./pages/officers.js"), roles: ["legal", "supervisor", "handler", "dept_head", "dept_supervision"] },
  bases: { load: () => import("./pages/bases.js"), roles: ["legal"] },
  normdocs: { load: () => import("./pages/normdocs.js"), roles: ["legal", "handler", "dept_head", "dept_supervision"] },
  reviews: { load: () => import("./pages/reviews.js"), roles: ["legal", "supervisor", "handler", "dept_head", "dept_supervision"] },
  departments: { load: () => import("./pages/admin_departments.js"), roles: ["system_admin", "security_admin"] },
  "service-points": { load: () => import("./pages/admin_points.js"), roles: ["system_admin"] },
  users: { load: () => import("./pages/admin_users.js"), roles: ["system_admin", "security_admin"] },
  calendar: { load: () => import("./pages/admin_calendar.js"), roles: ["system_admin"] },
  rules: { load: () => import("./pages/admin_rules.js"), roles: ["system_admin", "legal", "supervisor"] },
  dlq: { load: () => import("./pages/admin_dlq.js"), roles: ["system_admin"] },
  audit: { load: () => import("./pages/admin_audit.js"), roles: ["audit_admin"] },
  // 政府信息公开 (issue #18): requests, one request, the published directory, the annual report
  disclosure: { load: () => import("./pages/disclosure.js"), roles: ["handler", "dept_head", "dept_supervision", "supervisor", "legal"] },
  "disclosure-request": { load: () => import("./pages/disclosure_request.js"), roles: ["handler", "dept_head", "dept_supervision", "supervisor", "legal"] },
  "disclosure-directory": { load: () => import("./pages/disclosure_directory.js"), roles: ["handler", "dept_head", "dept_supervision"] },
  "disclosure-report": { load: () => import("./pages/disclosure_report.js"), roles: ["handler", "dept_head", "dept_supervision", "supervisor", "legal"] },
};

// Navigation by platform; each link is shown to the roles that may use it.
const NAV = [
  { title: ["运行平台", "Operation"], links: [
    ["worklist", ["待办事项", "Worklist"], ["handler", "dept_head"]],
    ["penalty-new", ["处罚受案", "New penalty case"], ["handler", "dept_head"]],
    ["coercion-new", ["行政强制立案", "New coercion case"], ["handler", "dept_head"]],
    ["items", ["本部门事项", "Our items"], ["handler", "dept_head"]],
    ["declare", ["事项申报", "Declare an item"], ["handler", "dept_head"]],
    ["consultations", ["咨询答复", "Consultations"], ["handler", "dept_head", "dept_supervision"]],
  ] },
  { title: ["行政监察", "Supervision"], links: [
    ["board", ["实时监控", "Real-time board"], ["supervisor", "dept_supervision"]],
    ["signals", ["监察信号", "Signals"], ["handler", "dept_head", "dept_supervision", "supervisor"]],
    ["exceptions", ["异常处理", "Exceptions"], ["supervisor", "dept_supervision", "dept_head"]],
    ["complaints", ["投诉处理", "Complaints"], ["handler", "dept_head", "dept_supervision", "supervisor"]],
    ["spot-checks", ["抽查", "Spot checks"], ["supervisor"]],
    ["evaluation", ["绩效评估", "Evaluation"], ["supervisor", "dept_supervision", "dept_head"]],
    ["points", ["网点统计", "Service points"], ["supervisor", "dept_supervision", "dept_head"]],
    ["risk", ["廉政风险统计", "Integrity risks"], ["supervisor", "dept_supervision", "dept_head"]],
  ] },
  { title: ["法制监督", "Legal oversight"], links: [
    ["pending", ["事项确认", "Items to confirm"], ["legal"]],
    ["findings", ["法制监督发现", "Legal findings"], ["handler", "dept_head", "dept_supervision", "supervisor", "legal"]],
    ["officers", ["执法人员", "Enforcement officers"], ["legal", "supervisor", "dept_head", "dept_supervision"]],
    ["bases", ["法律依据", "Legal bases"], ["legal"]],
    ["normdocs", ["规范性文件", "Normative documents"], ["legal", "dept_head", "dept_supervision"]],
    ["reviews", ["复议与应诉", "Reconsideration and litigation"], ["legal", "supervisor", "dept_head"]],
  ] },
  { title: ["政府信息公开", "Information disclosure"], links: [
    ["disclosure", ["依申请公开", "Requests for disclosure"], ["handler", "dept_head", "dept_supervision", "supervisor", "legal"]],
    ["disclosure-directory", ["主动公开目录", "Published directory"], ["handler", "dept_head", "dept_supervision"]],
    ["disclosure-report", ["年度报告", "Annual report"], ["handler", "dept_head", "dept_supervision", "supervisor", "legal"]],
  ] },
  { title: ["系统管理", "Administration"], links: [
    ["departments", ["部门与密钥", "Departments and keys"], ["system_admin", "security_admin"]],
    ["service-points", ["办理网点", "Service points"], ["system_admin"]],
    ["users", ["用户管理", "Users"], ["system_admin", "security_admin"]],
    ["calendar", ["工作日历", "Working calendar"], ["system_admin"]],
    ["rules", ["规则参数", "Rule parameters"], ["system_admin"]],
    ["dlq", ["死信队列", "Dead-letter queue"], ["system_admin"]],
    ["audit", ["审计日志", "Audit trail"], ["audit_admin"]],
  ] },
  { title: ["我的账户", "My account"], links: [["account", ["账户与安全", "Account and security"], null]] },
];

const nav = document.getElementById("side-nav");

/** Where a user lands: the work of their role. */
export function home() {
  if (session.holds("handler", "dept_head")) return "worklist";
  if (session.holds("supervisor", "dept_supervision")) return "board";
  if (session.holds("legal")) return "pending";
  if (session.holds("system_admin", "security_admin")) return "users";
  if (session.holds("audit_admin")) return "audit";
  return "account";
}

function allowed(roles) {
  return !roles || session.holds(...roles);
}

function drawNav(page) {
  if (!session.signedIn() || session.pending()) {
    nav.hidden = true;
    nav.replaceChildren();
    return;
  }
  nav.hidden = false;
  const groups = [];
  for (const group of NAV) {
    const links = group.links.filter(([, , roles]) => allowed(roles));
    if (!links.length) continue;
    groups.push(h("div", { class: "nav-group" },
      h("p", { class: "nav-title" }, L(...group.title)),
      h("ul", {}, links.map(([p, text]) => h("li", {}, h("a", { href: `#/${p}`, "aria-current": p === page ? "page" : null }, L(...text)))))));
  }
  if (config.hall) {
    // The API's documentation is published with the hall (its own origin: /openapi.json admits the hall's).
    const docs = `${String(config.hall).replace(/\/$/, "")}/apidocs/`;
    groups.push(h("div", { class: "nav-group" },
      h("p", { class: "nav-title" }, L("帮助", "Help")),
      h("ul", {}, h("li", {}, h("a", { href: docs, target: "_blank", rel: "noopener", id: "api-docs-link" },
        L("接口文档（API）", "API documentation"))))));
  }
  nav.replaceChildren(...groups);
}

function drawWho() {
  const who = document.getElementById("who");
  const out = document.getElementById("sign-out");
  const menu = document.getElementById("menu-toggle");
  const u = session.user();
  if (!u) {
    who.hidden = true;
    out.hidden = true;
    menu.hidden = true;
    return;
  }
  const roles = (u.roles || []).map((r) => pick(ROLES, r, r)).join("、");
  swap(who, h("span", { class: "who-name" }, u.display_name || u.username), " ",
    h("span", { class: "who-role" }, roles, u.dept_code ? ` · ${deptName(u.dept_code) || L(`部门 ${u.dept_code}`, `dept ${u.dept_code}`)}` : ""));
  who.hidden = false;
  out.hidden = false;
  menu.hidden = false;
}

/** The guard: sign-in first, then whatever must be done first (a new password, a second factor), then the page. */
async function guard({ page }, spec) {
  if (!session.signedIn() && !(spec && spec.public)) {
    window.location.replace("#/login");
    return false;
  }
  if (session.signedIn()) {
    const must = session.pending();
    if (must && page !== must) {
      window.location.replace(`#/${must}`);
      return false;
    }
    if (!page || page === "login") {
      window.location.replace(`#/${home()}`);
      return false;
    }
    await loadDepartments();  // once per visit: department names beside their codes
  }
  drawWho();
  drawNav(page);
  return true;
}

function denied(route, spec, view) {
  if (spec.public || spec.restricted || allowed(spec.roles)) return null;
  return statePage(view, L("无权访问", "Not allowed"),
    h("p", { class: "state error", role: "alert" }, L("您的角色不能使用此页面。", "Your role may not use this page."), " ",
      h("a", { href: `#/${home()}` }, L("返回我的工作台", "Back to my console"))));
}

function notFound(view) {
  return statePage(view, L("页面不存在", "Page not found"),
    h("p", {}, h("a", { href: `#/${home()}` }, L("返回我的工作台", "Back to my console"))));
}

startShell({
  pages: PAGES,
  home: "",
  title: ["阳光政务工作台", "Sunlit staff console"],
  viewClass: "page",
  errorClass: "state error",
  nav,
  before: guard,
  refuse: denied,
  notFound,
});

document.getElementById("sign-out").addEventListener("click", async () => {
  await session.signOut();
  window.location.hash = "#/login";
});
