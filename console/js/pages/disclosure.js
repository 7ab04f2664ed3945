// 依申请公开 (#/disclosure): requests for government information the department received — from the
// hall, or registered at the window — the earliest answer date first, with the clock of each: the
// due date (20 working days, once extended by up to 20), the working days left, a clock stopped while
// the applicant clarifies or a third party is consulted, and overdue ones in red. Department staff see
// their own department's; the supervision bureau and the legal office their region's (两级).
import { L } from "../../shared/i18n.js";
import { fmtDay, h, pick, put, route } from "../../shared/util.js";
import { call, deptScoped, holds, user } from "../session.js";
import { CLOCK_STATES, REQUEST_STATUS } from "../disclosure_names.js";
import { empty, failure, filterBar, heading, light, listQuery, tag } from "../ui.js";
import { deptLabel } from "../depts.js";

/** Yellow from this many working days left (the board's "due soon"). */
const SOON = 3;

/** The light of a request: red overdue (or answered late), yellow due soon, green on track; none when stopped or closed. */
export function requestLight(r) {
  if (r.overdue) return "red";
  if (r.closed_on || r.status === "answered" || r.status === "withdrawn") return null;
  if (r.working_days_left === null || r.working_days_left === undefined) return null;
  return r.working_days_left <= SOON ? "yellow" : "green";
}

/** "剩余 5 个工作日", "已超期 2 个工作日", "补正期间不计时" … in one phrase. */
export function timeLeft(r) {
  if (r.closed_on) return r.overdue ? L("逾期答复", "Answered late") : L("已办结", "Closed");
  const n = r.working_days_left;
  if (r.clock_state && r.clock_state !== "running") return pick(CLOCK_STATES, r.clock_state, r.clock_state);
  if (n === null || n === undefined) return "—";
  if (n < 0 || r.overdue) return L(`已超期 ${Math.max(-n, 1)} 个工作日`, `${Math.max(-n, 1)} working days overdue`);
  if (n === 0) return L("今日到期", "Due today");
  return L(`剩余 ${n} 个工作日`, `${n} working days left`);
}

function statusCell(r) {
  const kind = r.status === "answered" ? "ok" : r.status === "clarifying" || r.status === "consulting" ? "warn" : null;
  return tag(pick(REQUEST_STATUS, r.status, r.status_name || r.status), kind);
}

function rows(items) {
  return items.map((r) => {
    const colour = requestLight(r);
    return h("tr", { class: r.overdue ? "is-red" : colour === "yellow" ? "is-yellow" : null, "data-request": r.request_no, "data-status": r.status },
      h("th", { scope: "row", "data-label": L("时限", "Clock") }, h("div", { class: "v" },
        colour ? light(colour, colour === "red" ? L("已超期", "Overdue") : null) : tag(r.closed_on ? L("已办结", "Closed") : L("计时中止", "Stopped"), r.closed_on ? "ok" : "warn"))),
      h("td", { "data-label": L("申请", "Request") }, h("div", { class: "v" },
        h("a", { href: route("disclosure-request", [r.request_no]), class: "code" }, r.request_no),
        h("div", { class: "small" }, r.description || ""))),
      h("td", { "data-label": L("申请人", "Applicant") }, h("div", { class: "v" }, r.applicant_name || "—",
        deptScoped() ? null : h("div", { class: "small muted" }, deptLabel(r.dept_code)))),
      h("td", { "data-label": L("收到日期", "Received"), class: "nowrap" }, fmtDay(r.received_on)),
      h("td", { "data-label": L("答复期限", "Due") }, h("div", { class: "v" },
        h("strong", {}, r.due ? fmtDay(r.due, true) : "—"), h("div", { class: "small muted" }, timeLeft(r)))),
      h("td", { "data-label": L("状态", "Status") }, h("div", { class: "v" }, statusCell(r),
        r.extended ? h("div", { class: "small muted" }, L("已延期一次", "extended once")) : null,
        r.clarify_late ? h("div", { class: "small deadline" }, L("补正告知超过 7 个工作日", "clarification asked late")) : null)));
  });
}

export async function render(view, ctx) {
  const u = user();
  const title = L("依申请公开", "Requests for disclosure");
  const scope = ctx.params.get("scope") === "all" ? "all" : "pending";
  put(view, ...heading(title, deptScoped()
    ? L(`${deptLabel(u.dept_code)} · 收到的政府信息公开申请，答复期限最近的在前。自收到之日起 20 个工作日内答复，经批准可延长一次（不超过 20 个工作日）；补正和征求第三方意见期间不计时。`,
      `${deptLabel(u.dept_code)} · requests received, the earliest answer date first: 20 working days, once extendable by up to 20; clarification and third-party consultation stop the clock.`)
    : L("辖区各部门收到的政府信息公开申请，答复期限最近的在前；申请人信息已脱敏。", "Requests received by the departments of your region, the earliest answer date first; applicants masked.")));
  const tabs = h("nav", { class: "actions", "aria-label": L("申请范围", "Scope") },
    h("a", { class: scope === "pending" ? "btn" : "btn btn-secondary", href: route("disclosure", [], { scope: "pending" }), "aria-current": scope === "pending" ? "page" : null }, L("未办结", "Open")),
    h("a", { class: scope === "all" ? "btn" : "btn btn-secondary", href: route("disclosure", [], { scope: "all" }), "aria-current": scope === "all" ? "page" : null }, L("全部（含已答复）", "All (answered too)")),
    holds("handler", "dept_head") ? h("a", { class: "btn btn-secondary", href: "#/disclosure-directory" }, L("主动公开目录", "Published directory")) : null,
    h("a", { class: "btn btn-secondary", href: "#/disclosure-report" }, L("年度报告", "Annual report")));
  put(view, tabs);
  const statuses = Object.keys(REQUEST_STATUS).filter((s) => scope === "all" || !["answered", "withdrawn"].includes(s));
  const filters = [
    { name: "status", label: L("状态", "Status"), options: statuses.map((s) => [s, pick(REQUEST_STATUS, s, s)]) },
    { name: "overdue", label: L("仅看超期", "Overdue only"), options: [["true", L("是", "Yes")]] },
    ...(deptScoped() ? [] : [{ name: "dept_code", label: L("部门代码", "Department"), inputmode: "numeric", placeholder: "015" }]),
  ];
  put(view, filterBar({ ...ctx, keepParams: ["scope"] }, filters));
  const query = listQuery(ctx, ["status", "overdue", "dept_code"], { sort: "due", limit: 200 });
  if (!query.status && scope === "pending") query.status = "pending";
  delete query.cursor;
  const r = await call("GET", "/disclosure/requests", { query });
  if (!r.ok) {
    put(view, failure(r.error));
    return { title };
  }
  const items = r.data.items || [];
  const overdue = items.filter((x) => x.overdue && !x.closed_on).length;
  const soon = items.filter((x) => requestLight(x) === "yellow").length;
  const stopped = items.filter((x) => !x.closed_on && x.clock_state && x.clock_state !== "running").length;
  put(view, h("p", { class: "muted", id: "disclosure-summary" },
    L(`共 ${r.data.total ?? items.length} 件；超期 ${overdue} 件，3 个工作日内到期 ${soon} 件，计时中止（补正或征求意见）${stopped} 件。`,
      `${r.data.total ?? items.length} requests; ${overdue} overdue, ${soon} due within 3 working days, ${stopped} with the clock stopped.`)));
  if (!items.length) {
    put(view, empty(scope === "pending" ? L("目前没有待答复的申请。", "No request is waiting for an answer.") : L("没有符合条件的申请。", "No request matches.")));
  } else {
    put(view, h("table", { class: "data cards", id: "disclosure-list" },
      h("caption", { class: "sr-only" }, L("政府信息公开申请，答复期限最近的在前", "Requests, the earliest answer date first")),
      h("thead", {}, h("tr", {}, [L("时限", "Clock"), L("申请", "Request"), L("申请人", "Applicant"), L("收到日期", "Received"), L("答复期限", "Due"), L("状态", "Status")]
        .map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows(items))));
    if ((r.data.total ?? 0) > items.length) {
      put(view, h("p", { class: "muted small" }, L(`仅显示答复期限最近的 ${items.length} 件；请用筛选缩小范围。`, `Only the ${items.length} most urgent are shown; filter to narrow.`)));
    }
  }
  return { title };
}
