// 待办事项: the department's pending tasks, least remaining working time first, with the board's
// light and how each due date was derived. "本岗位待办" (scope=role, the default) are the tasks of my
// roles; "我的待办" (scope=mine) those I hold, claimed or assigned to me; "本部门全部" (scope=dept) every
// pending task of the department (a head sees what waits for the handlers too). Each row names its
// 办理人 with the moves the caller may make: 认领, 退回待领, and the head's 分派/改派 (../holders.js).
import { L } from "../../shared/i18n.js";
import { fmtDay, fmtTime, h, pick, put, route } from "../../shared/util.js";
import { call, holds, user } from "../session.js";
import { ROLES, TASK_KINDS } from "../names.js";
import { empty, failure, filterBar, heading, light, listQuery, pager } from "../ui.js";
import { deptLabel } from "../depts.js";
import { assignForm, colleagues, errorNote, mayAssign, mayClaim, mayRelease, move } from "../holders.js";

/** How the task's due date was computed, in one sentence. */
export function derivation(task) {
  const step = task.step || {};
  if (!task.due_at) return L("无期限（等待当事人或特别程序中）", "No deadline (waiting for the party, or a special procedure is running)");
  if (task.due_rule === "case_due") return L(`随办件期限：办件应于 ${fmtDay(task.due_at)} 前办结（含特别程序延长）`, `Follows the case: due ${fmtDay(task.due_at)} (extensions included)`);
  const days = step.limit_days;
  return L(`本环节时限 ${days} 个工作日，自 ${fmtDay(task.started_at)} 起算（当日不计），到期 ${fmtDay(task.due_at, true)}`,
    `${days} working days for this step from ${fmtDay(task.started_at)} (that day not counted): due ${fmtDay(task.due_at, true)}`);
}

export function remaining(task) {
  const n = task.remaining_working_days;
  if (n === null || n === undefined) return "—";
  if (n < 0) return L(`已超期 ${-n} 个工作日`, `${-n} working days overdue`);
  if (task.colour === "red") return L("已超期", "Overdue");
  if (n === 0) return L("今日到期", "Due today");
  return L(`剩余 ${n} 个工作日`, `${n} working days left`);
}

/** The 办理人 cell: who holds the task and the buttons the caller may use (handled by the table's one listener). */
function holderCell(t, people, u) {
  const op = (name, text) => h("button", { type: "button", class: "btn btn-secondary btn-small", "data-op": name, "data-task": t.task_id }, text);
  const ops = u ? [mayClaim(t, u) ? op("claim", L("认领", "Claim")) : null, mayRelease(t, u) ? op("release", L("退回待领", "Back to pool")) : null,
    mayAssign(t, u) ? op("assign", t.assignee ? L("改派", "Reassign") : L("分派", "Assign")) : null].filter(Boolean) : [];
  const p = t.assignee ? (people || []).find((x) => x.username === t.assignee) : null;
  const name = !t.assignee ? L("待认领", "Unclaimed") : `${(p && p.display_name) || t.assignee}${u && t.assignee === u.username ? L("（我）", " (me)") : ""}`;
  return h("td", { "data-label": L("办理人", "Held by"), class: "holder-cell" },
    h("div", { class: "v" }, h("span", { class: t.assignee ? "holder-name" : "holder-name muted", "data-user": t.assignee || null }, name),
      p && p.display_name ? h("div", { class: "small muted" }, t.assignee) : null,
      ops.length ? h("div", { class: "row-ops" }, ops) : null));
}

/** The worklist rows (exported for the benchmark: 500 rows must render in under 300 ms). */
export function rows(items, scope, people = [], u = null) {
  const tbody = h("tbody");
  for (const t of items) {
    const step = t.step || {};
    const what = t.kind === "step" || t.kind === "co_review" ? `${pick(TASK_KINDS, t.kind, t.kind_name)}：${step.name}` : pick(TASK_KINDS, t.kind, t.kind_name || t.kind);
    tbody.append(h("tr", { class: t.colour === "red" ? "is-red" : t.colour === "yellow" ? "is-yellow" : null, "data-case": t.case_no, "data-task": t.task_id,
      "data-kind": t.kind, "data-category": String(t.item_code || "").slice(9, 11) },
      h("th", { scope: "row", "data-label": L("状态", "Light") }, light(t.colour)),
      h("td", { "data-label": L("办件", "Case") }, h("div", { class: "v" }, h("a", { href: route("case", [t.case_no]), class: "code" }, t.case_no),
        h("div", { class: "small" }, t.item_name || t.item_code))),
      h("td", { "data-label": L("待办", "Task") }, scope === "dept" ? h("div", { class: "v" }, what, h("div", { class: "small muted" }, pick(ROLES, t.role, t.role))) : what),
      holderCell(t, people, u),
      h("td", { "data-label": L("剩余时间", "Time left"), class: "nowrap" }, remaining(t)),
      h("td", { "data-label": L("到期日", "Due") }, h("div", { class: "v" }, h("strong", {}, fmtDay(t.due_at)), h("div", { class: "small muted" }, derivation(t)))),
      h("td", { "data-label": L("开始", "Started") }, fmtTime(t.started_at))));
  }
  return tbody;
}

/**
 * The worklist table. With ``opts.done`` (the page, not the benchmark) its buttons work: 认领 and
 * 退回待领 post at once, 分派/改派 opens the head's form in the row; an API refusal shows in the row.
 */
export function worklistTable(items, scope, opts = {}) {
  const u = opts.done ? user() : null;
  const table = h("table", { class: "data cards", id: "worklist" },
    h("caption", { class: "sr-only" }, L("待办事项，剩余时间最少的在前", "Pending tasks, least time left first")),
    h("thead", {}, h("tr", {}, [L("状态", "Light"), L("办件", "Case"), L("待办", "Task"), L("办理人", "Held by"), L("剩余时间", "Time left"), L("到期日与计算", "Due date and how"), L("开始", "Started")]
      .map((t) => h("th", { scope: "col" }, t)))),
    rows(items, scope, opts.people, u));
  if (!opts.done) return table;
  const byId = new Map(items.map((t) => [t.task_id, t]));
  table.addEventListener("click", async (e) => {
    const b = e.target.closest("button[data-op]");
    const t = b && byId.get(b.dataset.task);
    if (!t) return;
    const cell = b.closest("td").querySelector(".v");
    cell.querySelector(".holder-error")?.remove();
    if (b.dataset.op === "assign") {
      const shown = cell.querySelector("form");
      if (shown) shown.remove();
      else {
        const form = assignForm(t, opts.people, () => opts.done(t, "assign"));
        cell.append(form);
        form.querySelector("select").focus();
      }
      return;
    }
    b.disabled = true;
    const r = await move(t, b.dataset.op);
    b.disabled = false;
    if (r.ok) await opts.done(t, b.dataset.op);
    else cell.append(errorNote(r.error));
  });
  return table;
}

// The worklist's scopes (GET /worklist?scope=): my roles' tasks, the ones I hold, the department's.
const SCOPES = [["role", "本岗位待办", "For my role"], ["mine", "我的待办", "Held by me"], ["dept", "本部门全部", "All of the department"]];

export async function render(view, ctx) {
  const asked = (ctx.params.get("scope") || "").trim().toLowerCase();
  const scope = SCOPES.some(([s]) => s === asked) ? asked : "role";
  const u = user();
  put(view, ...heading(L("待办事项", "Worklist"),
    L(`${deptLabel(u.dept_code)} · 按剩余工作日排序，红牌已超期、黄牌临期。`, `${deptLabel(u.dept_code)} · least time left first; red is overdue, yellow due soon.`)));
  const tabs = h("nav", { class: "actions", "aria-label": L("待办范围", "Scope") },
    SCOPES.map(([s, zh, en]) => h("a", { class: scope === s ? "btn" : "btn btn-secondary", href: route("worklist", [], { scope: s === "role" ? null : s }), "aria-current": scope === s ? "page" : null }, L(zh, en))),
    holds("handler", "dept_head") ? h("a", { class: "btn btn-secondary", href: "#/penalty-new" }, L("处罚受案", "New penalty case")) : null);
  put(view, tabs);
  const kinds = Object.keys(TASK_KINDS).map((k) => [k, pick(TASK_KINDS, k, k)]);
  put(view, filterBar({ ...ctx, keepParams: ["scope"] }, [{ name: "kind", label: L("待办类型", "Task kind"), options: kinds }]));
  const [r, people] = await Promise.all([call("GET", "/worklist", { query: listQuery(ctx, ["kind"], { scope, limit: 100 }) }), colleagues()]);
  if (!r.ok) {
    put(view, failure(r.error));
    return { title: L("待办事项", "Worklist") };
  }
  const items = r.data.items || [];
  const counts = { red: 0, yellow: 0, green: 0 };
  for (const t of items) counts[t.colour || "green"] += 1;
  put(view, h("p", { class: "muted", id: "worklist-summary" },
    L(`共 ${r.data.total ?? items.length} 项待办；本页红牌 ${counts.red}、黄牌 ${counts.yellow}、正常 ${counts.green}。`,
      `${r.data.total ?? items.length} tasks; on this page ${counts.red} red, ${counts.yellow} yellow, ${counts.green} on track.`)));
  if (!items.length) put(view, empty(scope === "dept" ? L("本部门目前没有待办事项。", "The department has nothing pending.")
    : scope === "mine" ? L("目前没有由您认领或分派给您的待办事项。", "No task is claimed by or assigned to you right now.")
      : L("您目前没有待办事项。", "You have nothing to do right now.")));
  else {
    put(view, worklistTable(items, scope, { people, done: async (t, op) => {
      const said = { claim: L("已认领，见“我的待办”", "Claimed: see Held by me"), release: L("已退回待领", "Back in the pool"), assign: L("已分派", "Assigned") };
      ctx.announce(said[op] || L("已完成", "Done"));
      ctx.rerender();
    } }));
  }
  put(view, pager(ctx, r.data.next, items.length));
  return { title: L("待办事项", "Worklist") };
}
