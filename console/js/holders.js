// 办理人 (the named person holding a task) and the moves on it (docs/CONTRACT.md §10, README "named
// persons"): 认领 a pool task of my role, 退回待领 one I hold (the department head: any), 分派/改派 by
// the head to a colleague holding the task's role (改派 with its reason), and the head's 作废 of a
// case. Only the moves the caller's roles allow are offered; the API stays the authority, and its
// 400/403/409 answers show beside the control. Loaded with the worklist and case pages only.
import { L } from "../shared/i18n.js";
import { checkbox, field } from "../shared/forms.js";
import { h } from "../shared/util.js";
import { call, user } from "./session.js";
import { actionForm } from "./ui.js";

/** The department's active staff (GET /worklist/colleagues): whom a task can go to; [] when not readable. */
export async function colleagues() {
  const u = user();
  if (!u || !u.dept_code) return [];
  const r = await call("GET", "/worklist/colleagues");
  return r.ok ? r.data.items || [] : [];
}

/** "演示办理人（demo-handler）", or the account name when the directory does not know it. */
export function personName(username, people) {
  const p = (people || []).find((x) => x.username === username);
  return p && p.display_name ? `${p.display_name}（${username}）` : username;
}

/** Who holds the task, as read beside it: a name (and “我” for the caller), or 待认领. */
export function holderText(t, people, me) {
  if (!t.assignee) return L("待认领", "Unclaimed");
  const name = personName(t.assignee, people);
  return me && t.assignee === me.username ? L(`${name}（我）`, `${name} (me)`) : name;
}

const head = (u) => (u.roles || []).includes("dept_head");
const open = (t, u) => !!u && t.status === "pending" && t.dept_code === u.dept_code;

export function mayClaim(t, u) {
  return open(t, u) && !t.assignee && (u.roles || []).includes(t.role);
}

export function mayRelease(t, u) {
  return open(t, u) && !!t.assignee && (t.assignee === u.username || head(u));
}

export function mayAssign(t, u) {
  return open(t, u) && head(u);
}

/** POST /cases/{no}/tasks/{id}/{claim|release|assign}. */
export function move(t, op, body) {
  return call("POST", `/cases/${encodeURIComponent(t.case_no)}/tasks/${encodeURIComponent(t.task_id)}/${op}`, body ? { body } : {});
}

/** An API error in the contract's shape ({message, details: [{field, message}]}) as one alert line. */
export function errorNote(error) {
  const details = ((error && error.details) || []).map((d) => d.message).filter((m) => m && m !== error.message);
  return h("p", { class: "field-error holder-error", role: "alert" },
    (error && error.message) || L("操作失败，请稍后再试。", "That did not work; please try again."), details.length ? `（${details.join("；")}）` : "");
}

/** 分派 / 改派: the head picks a colleague holding the task's role; a reason is required to change hands. */
export function assignForm(t, people, done) {
  const changing = !!t.assignee;
  const fit = (people || []).filter((p) => (p.roles || []).includes(t.role) && p.username !== t.assignee);
  return actionForm({
    id: `assign-${t.task_id}`,
    note: fit.length ? null : L("本部门没有其他具有该环节角色的在岗人员。", "Nobody else in the department holds this step's role."),
    fields: [
      field({ name: "assignee", label: changing ? L("改派给", "Reassign to") : L("分派给", "Assign to"), required: true,
        options: [["", L("请选择承办人", "Choose a colleague")], ...fit.map((p) => [p.username, personName(p.username, people)])] }),
      field({ name: "reason", label: changing ? L("改派理由", "Reason for the change") : L("分派说明（可不填）", "Note (optional)"),
        type: "textarea", rows: 2, required: changing, maxlength: 500 }),
    ],
    submitText: changing ? L("改派", "Reassign") : L("分派", "Assign"),
    submit: (v) => move(t, "assign", { assignee: v.assignee, ...(v.reason ? { reason: v.reason } : {}) }),
    done,
  });
}

/**
 * The case page's block for one pending task: who holds it, and 认领 / 退回待领 / 分派·改派 as the
 * caller may. ``done(change)`` runs after the API took the move.
 */
export function holderBlock(t, people, done) {
  const u = user();
  const box = h("div", { class: "holder", "data-holder-task": t.task_id },
    h("p", {}, h("strong", {}, L("办理人：", "Held by: ")), h("span", { class: "holder-name" }, holderText(t, people, u)),
      t.assignee && t.assigned_by && t.assigned_by !== t.assignee ? h("span", { class: "muted small" }, L(`（${personName(t.assigned_by, people)} 分派）`, ` (assigned by ${personName(t.assigned_by, people)})`)) : null));
  const buttons = h("div", { class: "actions" });
  if (mayClaim(t, u)) {
    buttons.append(actionForm({ id: `claim-${t.task_id}`, fields: [], submitText: L("认领", "Claim"), submit: () => move(t, "claim"), done }));
  }
  if (mayRelease(t, u)) {
    buttons.append(actionForm({ id: `release-${t.task_id}`, fields: [], submitText: L("退回待领", "Back to the pool"),
      submit: () => move(t, "release"), done }));
  }
  if (buttons.childNodes.length) box.append(buttons);
  if (mayAssign(t, u)) {
    box.append(h("details", { class: "act", "data-action": "assign" },
      h("summary", {}, t.assignee ? L("改派", "Reassign") : L("分派", "Assign")), assignForm(t, people, done)));
  }
  const last = (t.assignments || []).at(-1);
  if (last) {
    const by = personName(last.by, people);
    box.append(h("p", { class: "muted small" }, L(`最近：${last.kind_name || last.kind} · ${by}${last.reason ? ` · ${last.reason}` : ""}`,
      `Last: ${last.kind} by ${by}${last.reason ? ` · ${last.reason}` : ""}`)));
  }
  return box;
}

/** 作废: the owning department's head ends the case (办结结果 2) with the reason, after confirming. */
export function voidForm(caseNo, done) {
  return actionForm({
    id: "act-void",
    note: L("作废后本件即告办结（办结结果“作废”），流程终止、全部待办随之结束，且不能恢复。", "Voiding concludes the case (result 2, void): the process and every pending task end, for good."),
    fields: [
      field({ name: "reason", label: L("作废理由", "Reason"), type: "textarea", rows: 3, required: true, maxlength: 500 }),
      checkbox({ name: "confirm", label: L("我已核实，确认作废本件", "I have checked: void this case") }),
    ],
    submitText: L("作废本件", "Void the case"),
    submit: (v) => (v.confirm ? call("POST", `/cases/${encodeURIComponent(caseNo)}/actions`, { body: { action: "void", reason: v.reason } })
      : { ok: false, error: { message: L("请确认作废", "Please confirm"), details: [{ field: "confirm", message: L("作废不能恢复，请勾选确认", "Voiding cannot be undone: tick to confirm") }] } }),
    done,
  });
}
