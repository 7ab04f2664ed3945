// 办件: one case as staff see it — the fixed process of its bound item version with the current
// step, the due date and how it was derived, materials, special procedures, the timeline (with
// any extra fields the department's system sent), the penalty procedure, its signals and findings,
// and a form for every action the platform allows now; who holds each task (办理人) with 认领 / 退回待领 /
// 分派·改派 as the caller may, and the department head's 作废 of the case (../holders.js).
import { L } from "../../shared/i18n.js";
import { CASE_STATUS, EVENT_TYPES, RESULT_CODES, PENALTY_TYPES, TIERS, dashedCode, fmtDay, fmtMoney, fmtTime, h, pick, put, route, shanghaiDay } from "../../shared/util.js";
import { call, holds, user } from "../session.js";
import { CHANNELS, CHECKS, RECORD_STATUS, ROLES, RULES, STEP_STATUS, TASK_KINDS } from "../names.js";
import { actionForm, empty, failure, heading, kv, light, maskId, maskName, section, table, tag } from "../ui.js";
import { riskTag } from "./risk.js";
import * as actions from "../actions.js";
import { derivation } from "./worklist.js";
import { deptLabel } from "../depts.js";
import { colleagues, holderBlock, holderText, personName, voidForm } from "../holders.js";

const KNOWN_TIMELINE = new Set(["type", "at", "name", "event_id", "step_code", "status", "actor_name", "received_at", "first_received_at"]);
const PENALTY_FLOW = ["notify", "hearing", "decide", "serve", "enforce", "close"];

// 行政强制 (QZ) runs the 行政强制法's stages; the route shows in its first recorded step (QZ-M0 / QZ-E0).
const COERCION_FLOW = {
  measure: ["qz_approve", "qz_implement", "qz_serve", "qz_dispose"],
  enforcement: ["qz_demand", "qz_statement", "qz_decide", "qz_execute"],
};
const COERCION_STEPS = { "QZ-M1": "qz_approve", "QZ-M2": "qz_implement", "QZ-M3": "qz_serve", "QZ-E1": "qz_demand", "QZ-E2": "qz_statement", "QZ-E3": "qz_decide" };

function coercionRoute(view) {
  return (view.steps || []).some((s) => String(s.code).startsWith("QZ-E")) ? "enforcement" : "measure";
}

function machineOf(category) {
  if (category === "CF") return "penalty";
  if (category === "QZ") return "coercion";
  if (category === "FW") return "service";
  return "license";
}

/** The nodes of the fixed process: name, and whether done or current. */
function flowNodes(view, version, tasks) {
  const machine = machineOf(view.category);
  const steps = (version && version.steps) || [];
  const done = new Set();
  const current = new Set();
  for (const t of tasks || []) {
    const key = t.kind === "step" ? `step:${(t.step || {}).code}` : t.kind;
    if (t.status === "done") done.add(key);
    else if (t.status !== "voided") current.add(key);  // a task ended by 作废 is neither done nor current
  }
  // A case run in a department's own system has no tasks: read progress from its events.
  for (const s of view.steps || []) done.add(COERCION_STEPS[s.code] || `step:${s.code}`);
  if (view.accepted_at) done.add("accept");
  if (view.concluded_at) done.add("conclude");
  if (view.delivered_at) done.add("deliver");
  const p = view.penalty || {};
  if (p.opened_at) done.add("open_case");
  if (p.notice_served_at) done.add("notify");
  if (p.hearing_held_at || (p.decision && p.notice_served_at)) done.add("hearing");
  if (p.decision) done.add("decide");
  if (p.served_at) done.add("serve");
  if (p.enforced_at) done.add("enforce");
  if (p.closed_at) done.add("close");
  const stepNodes = steps.map((s, i) => ({ key: `step:${s.code}`, name: s.name, sub: L(`第 ${i + 1} 步 · ${s.limit_days} 个工作日`, `step ${i + 1} · ${s.limit_days} wd`) }));
  const named = (k) => ({ key: k, name: pick(TASK_KINDS, k, k) });
  let nodes;
  if (machine === "coercion") {
    const last = coercionRoute(view) === "measure" ? "qz_dispose" : "qz_execute";
    if (view.concluded_at) done.add(last);
    if (view.accepted_at) done.add("qz_open");
    nodes = [named("qz_open"), ...COERCION_FLOW[coercionRoute(view)].map(named)];
  } else if (machine === "penalty") nodes = [named("open_case"), ...stepNodes, ...PENALTY_FLOW.map(named)];
  else if (machine === "service") nodes = [named("accept"), ...stepNodes, named("conclude")];
  else nodes = [named("accept"), ...stepNodes, named("conclude"), named("deliver")];
  return nodes.map((n) => ({ ...n, done: done.has(n.key) && !current.has(n.key), current: current.has(n.key) }));
}

function flowChart(view, version, tasks) {
  const nodes = flowNodes(view, version, tasks);
  return h("ol", { class: "flow", id: "case-flow", "aria-label": L("办理流程（绑定版本），当前环节已标出", "The fixed process of the bound version, current step marked") },
    nodes.map((n, i) => h("li", { "aria-current": n.current ? "step" : null },
      h("div", { class: `node${i === 0 || i === nodes.length - 1 ? " terminal" : ""}${n.done ? " done" : ""}${n.current ? " current" : ""}`, "data-key": n.key },
        h("strong", {}, n.name), n.sub ? h("span", { class: "sub" }, n.sub) : null,
        h("span", { class: "sub" }, n.current ? L("▶ 当前环节", "▶ current") : n.done ? L("✓ 已完成", "✓ done") : L("未开始", "not yet"))))));
}

/** The bound version's 廉政风险点 with their controls, those of the current step first and marked. */
function riskBlock(view, version, tasks) {
  const points = (version && version.risk_points) || [];
  if (!points.length) return null;
  const current = new Set(flowNodes(view, version, tasks).filter((n) => n.current && n.key.startsWith("step:")).map((n) => n.key.slice(5)));
  const stepName = (code) => ((version.steps || []).find((s) => s.code === code) || {}).name || code;
  const rows = [...points].sort((a, b) => Number(current.has(b.step_code)) - Number(current.has(a.step_code)) || a.level - b.level);
  return section(L("廉政风险点与防控措施", "Integrity risk points and controls"), table({
    caption: L("本件绑定事项版本的廉政风险点（当前环节在前）", "Risk points of the bound version (current step first)"),
    rows,
    rowAttrs: (p) => ({ class: current.has(p.step_code) ? "is-yellow" : null, "data-step": p.step_code }),
    columns: [
      { label: L("环节", "Step"), render: (p) => [stepName(p.step_code), current.has(p.step_code) ? h("div", { class: "small" }, tag(L("当前环节", "current step"), "warn")) : null] },
      { label: L("等级", "Level"), render: (p) => riskTag(p.level) },
      { label: L("风险描述", "Risk"), render: (p) => p.description },
      { label: L("防控措施", "Controls"), render: (p) => (p.controls || []).join("；") || "—" },
      { label: L("责任岗位", "Post"), render: (p) => p.responsible_role || "—" },
    ],
  }));
}

function timeline(view) {
  if (!(view.timeline || []).length) return empty(L("暂无记录。", "No events yet."));
  return h("ol", { class: "timeline", id: "case-timeline" }, view.timeline.map((e) => {
    const extra = Object.entries(e).filter(([k, v]) => !KNOWN_TIMELINE.has(k) && v !== null && v !== undefined && v !== "");
    const late = e.received_at && e.at && new Date(e.received_at) - new Date(e.at) > 24 * 3600 * 1000;
    return h("li", {},
      h("span", { class: "when" }, fmtTime(e.at)), h("strong", {}, e.name || pick(EVENT_TYPES, e.type, e.type)),
      e.status ? ` · ${pick(STEP_STATUS, e.status, e.status)}` : "", e.actor_name ? h("span", { class: "muted" }, ` · ${e.actor_name}`) : "",
      late ? h("p", { class: "extra" }, L(`报送于 ${fmtTime(e.received_at)}（晚于发生时间 24 小时以上）`, `reported ${fmtTime(e.received_at)} (more than 24 h late)`)) : null,
      extra.length ? h("p", { class: "extra" }, L("其他字段：", "Other fields: "), extra.map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : v}`).join("；")) : null);
  }));
}

function applicantRows(view, full) {
  const a = view.applicant || {};
  if (!view.applicant) return [];
  const who = view.category === "CF" || view.category === "QZ" ? L("当事人", "Party") : L("申请人", "Applicant");
  return [[who, full ? a.name : maskName(a.name)],
    [L("证件", "ID"), a.id_no ? `${a.id_type || ""} ${full ? a.id_no : maskId(a.id_no)}` : null],
    [L("联系电话", "Phone"), a.phone ? (full ? a.phone : maskId(a.phone)) : null]];
}

function pausesTable(view) {
  if (!(view.pauses || []).length) return empty(L("未启动特别程序。", "No special procedures."));
  return table({ caption: L("特别程序与延期", "Special procedures and extensions"), rows: view.pauses, columns: [
    { label: L("序号", "No."), render: (p) => p.seq },
    { label: L("类型", "Kind"), render: (p) => (p.kind === "A" ? L("A 延长审批", "A extension") : L("B 暂停计时", "B pause")) },
    { label: L("名称", "Name"), render: (p) => p.name },
    { label: L("起止", "From–to"), render: (p) => `${fmtDay(p.start)} – ${p.end ? fmtDay(p.end) : L("进行中", "running")}` },
    { label: L("时限", "Limit"), render: (p) => (p.declared_limit ? `${p.declared_limit.value} ${p.declared_limit.unit === "calendar_day" ? L("自然日", "cd") : L("工作日", "wd")}` : "—") },
    { label: L("批准人/理由", "Approver / reason"), render: (p) => [p.approver || "", p.reason ? h("div", { class: "small" }, p.reason) : null] },
    { label: L("结果", "Result"), render: (p) => p.result || "—" },
  ] });
}

function materialsBlock(view, version) {
  const list = (version && version.materials) || [];
  const parts = [];
  if (list.length) parts.push(h("ul", {}, list.map((m) => h("li", {}, m.name, m.required ? tag(L("必需", "required"), "red") : tag(L("可选", "optional"))))));
  for (const s of view.supplements || []) {
    parts.push(h("p", { class: "notice warn" }, L(`${fmtTime(s.requested_at)} 一次性告知补正：${(s.missing_materials || []).join("、") || "—"}`, `${fmtTime(s.requested_at)} supplements requested: ${(s.missing_materials || []).join(", ") || "—"}`),
      s.reason ? ` (${s.reason})` : "", s.received_at ? L(`；${fmtTime(s.received_at)} 已收到`, `; received ${fmtTime(s.received_at)}`) : L("；尚未补齐", "; not yet received")));
  }
  return parts.length ? parts : empty(L("目录未列明材料。", "The catalog lists no materials."));
}

function penaltyBlock(view, version) {
  const p = view.penalty;
  if (!p) return null;
  const d = p.decision;
  const terms = (version && version.penalty) || {};
  return section(L("行政处罚程序", "Penalty procedure"), kv([
    [L("立案", "Opened"), p.opened_at ? `${fmtTime(p.opened_at)} · ${p.cause || ""}` : L("未立案", "not yet")],
    [L("执法人员", "Officers"), (p.officers || []).join("、") || "—"],
    [L("事先告知", "Prior notice"), p.notice_served_at ? `${fmtTime(p.notice_served_at)}${p.proposed ? ` · ${L("拟", "proposed")} ${(p.proposed.types || []).map((t) => pick(PENALTY_TYPES, t, t)).join("、")} ${fmtMoney(p.proposed.amount)}` : ""}${p.hearing_notified ? L("，已告知听证权利", ", hearing right notified") : ""}` : "—"],
    [L("听证", "Hearing"), p.hearing_held_at ? `${fmtTime(p.hearing_at)} · ${L("主持人", "chair")} ${p.hearing_chair || "—"}` : p.hearing_requested_at ? L(`${fmtTime(p.hearing_requested_at)} 申请`, `requested ${fmtTime(p.hearing_requested_at)}`) : "—"],
    [L("处罚决定", "Decision"), d ? `${d.decision_no || ""} · ${(d.types || []).map((t) => pick(PENALTY_TYPES, t, t)).join("、")} ${fmtMoney(d.amount)} · ${L("档次", "tier")} ${d.tier || "—"}${d.collective_discussion ? L("（集体讨论）", " (collective)") : ""}` : "—"],
    [L("裁量基准", "Tiers"), (terms.tiers || []).map((t) => `${pick(TIERS, t.tier, t.tier)} ${fmtMoney(t.min)}–${fmtMoney(t.max)}`).join("；") || "—"],
    [L("送达/执行/结案", "Served / enforced / closed"), [p.served_at, p.enforced_at, p.closed_at].map((x) => (x ? fmtDay(x) : "—")).join(" / ")],
    [L("已缴罚款", "Paid"), p.paid_amount !== null && p.paid_amount !== undefined ? fmtMoney(p.paid_amount) : null],
  ]));
}

/** The risk points a signal or finding names, by level and description (— when none). */
function riskSummary(rec) {
  const points = rec.risk_points || [];
  if (!points.length) return "—";
  return points.map((p) => h("div", {}, riskTag(p.level), " ", p.description));
}

async function recordsBlock(view) {
  const out = [];
  if (holds("supervisor", "handler", "dept_head", "dept_supervision")) {
    const r = await call("GET", "/supervision/signals", { query: { case_no: view.case_no } });
    if (r.ok) out.push(section(L("监察信号", "Signals"), r.data.items.length ? table({ rows: r.data.items, columns: [
      { label: L("信号", "Signal"), render: (s) => light(s.level, `${s.rule} ${pick(RULES, s.rule, "")}`) },
      { label: L("内容", "Message"), render: (s) => s.message },
      { label: L("廉政风险点", "Risk point"), render: (s) => riskSummary(s) },
      { label: L("状态", "Status"), render: (s) => h("a", { href: route("signals", [], { case_no: view.case_no }) }, pick(RECORD_STATUS, s.status, s.status)) },
      { label: L("产生", "Raised"), render: (s) => fmtTime(s.raised_at) },
    ] }) : empty(L("本件没有监察信号。", "No signals on this case."))));
  }
  const r = await call("GET", "/legal/findings", { query: { case_no: view.case_no } });
  if (r.ok) out.push(section(L("法制监督发现", "Legal findings"), r.data.items.length ? table({ rows: r.data.items, columns: [
    { label: L("检查", "Check"), render: (s) => light(s.level, `${s.check} ${pick(CHECKS, s.check, "")}`) },
    { label: L("内容", "Message"), render: (s) => s.message },
    { label: L("廉政风险点", "Risk point"), render: (s) => riskSummary(s) },
    { label: L("状态", "Status"), render: (s) => pick(RECORD_STATUS, s.status, s.status) },
  ] }) : empty(L("本件没有法制监督发现。", "No findings on this case."))));
  return out;
}

/** Wait until the execution has moved past the task just done: the next task is waiting, or (after
 * the last action of the process) the task is gone. Step Functions and the task worker take a moment. */
async function settle(caseNo, before, doneTask, last) {
  for (let i = 0; i < 60; i += 1) {
    await new Promise((r) => setTimeout(r, 250));
    const r = await call("GET", `/cases/${encodeURIComponent(caseNo)}/tasks`);
    if (!r.ok) return;
    const pending = r.data.items.filter((t) => t.status === "pending").map((t) => t.task_id);
    if (pending.some((id) => !before.includes(id))) return;
    if (last && !pending.includes(doneTask)) return;
  }
}

/** After 作废: wait until the case's view shows it concluded (the projection follows the log at once, mostly). */
async function voided(caseNo) {
  for (let i = 0; i < 40; i += 1) {
    const r = await call("GET", `/staff/cases/${encodeURIComponent(caseNo)}`);
    if (!r.ok || r.data.status === "concluded") return;
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** The case's state in words; a case concluded with result 2 reads 已作废 (or its own wording, e.g. 终结执行). */
function statusText(c) {
  const code = c.result ? Number(c.result.code) : null;
  if (c.status === "concluded" && code === 2) {
    const desc = c.result.desc && c.result.desc !== pick(RESULT_CODES, 2, "") && c.result.desc !== "作废" ? c.result.desc : null;
    return desc ? L(`已办结（${desc}）`, `Concluded (${desc})`) : L("已作废", "Void");
  }
  return pick(CASE_STATUS, c.status, L("已受案，待立案", "Registered, to be opened"));
}

const LAST_ACTIONS = new Set(["deliver", "close", "reject", "dispose_measure", "execute"]);

function actionArea(ctx, view, version, tasks, officers, people) {
  const u = user();
  const mineRoles = new Set(u.roles || []);
  const today = shanghaiDay();
  const mine = (tasks || []).filter((t) => t.status === "pending" && t.dept_code === u.dept_code);
  const box = h("div", { id: "case-actions" });
  const pendingIds = (tasks || []).filter((t) => t.status === "pending").map((t) => t.task_id);
  const after = (task, action) => async () => {
    ctx.working();
    ctx.announce(L("已办理，流程正在流转到下一环节", "Done; the process moves on"));
    const last = LAST_ACTIONS.has(action) || (action === "conclude" && view.category === "FW");
    await settle(view.case_no, pendingIds, task.task_id, last);
    ctx.rerender();
  };
  const moved = async () => {
    ctx.working();
    ctx.announce(L("办理人已变更", "The task changed hands"));
    ctx.rerender();
  };
  let first = true;
  for (const t of mine) {
    const canDo = mineRoles.has(t.role);
    put(box, h("p", { class: "muted", "data-task": t.kind }, L(`待办：${pick(TASK_KINDS, t.kind, t.kind_name)}${t.kind === "step" ? `「${(t.step || {}).name}」` : ""}（${t.role === "dept_head" ? "部门负责人" : "办理人"}办理），到期 ${fmtDay(t.due_at)}。`,
      `Task: ${pick(TASK_KINDS, t.kind, t.kind)}${t.kind === "step" ? ` “${(t.step || {}).name}”` : ""} for the ${pick(ROLES, t.role, t.role)}, due ${fmtDay(t.due_at)}.`)));
    put(box, holderBlock(t, people, moved));
    if (!canDo) {
      put(box, h("p", { class: "notice" }, t.role === "dept_head" ? L("该环节须由部门负责人办理。", "This step is for the department head.")
        : L("该环节由办理人办理；您可以分派或改派。", "This step is for a handler; you can assign it.")));
      continue;
    }
    if (t.assignee && t.assignee !== u.username) {  // only the holder acts on a task someone holds (the API: 403)
      put(box, h("p", { class: "notice", "data-held-by": t.assignee }, L(`该待办由 ${personName(t.assignee, people)} 承办，只有承办人可以办理；如需调整请部门负责人改派。`,
        `${personName(t.assignee, people)} holds this task: only they act on it; the department head can reassign it.`)));
      continue;
    }
    // 退回 goes to the step before: the first review step has none (the API would refuse it)
    const offered = (t.actions || []).filter((a) => !(a === "return_step" && typeof t.step_index === "number" && t.step_index < 1));
    for (const a of offered) {
      const fctx = { item: version, view, task: t, officers, today };
      const form = actionForm({
        id: `act-${a}`,
        fields: actions.fields(a, fctx),
        submitText: actions.actionName(a),
        submit: (v) => call("POST", `/cases/${encodeURIComponent(view.case_no)}/actions`, { body: { ...actions.body(a, v), task_id: t.task_id } }),
        done: after(t, a),
      });
      if (a === "conclude" && version && version.fee && version.fee.charged) {
        const fee = form.querySelector("[name=fee_amount]");
        if (fee) fee.value = String(version.fee.amount ?? "");
      }
      put(box, h("details", { class: "act", open: first || null, "data-action": a }, h("summary", {}, actions.actionName(a)), form));
      first = false;
    }
  }
  const side = ["accepted", "in_progress", "suspended"].includes(view.status) && u.dept_code === view.dept_code && tasks;
  if (side) {
    const open = (view.pauses || []).some((p) => !p.end);
    let sideActions = ["start_special", ...(open ? ["end_special"] : [])];
    if (view.category === "QZ") {  // 行政强制法: 延长 (art.25), 中止/恢复 (art.39), 终结 (art.40, the head's)
      sideActions = coercionRoute(view) === "measure" ? ["extend_measure"]
        : [open ? "resume_enforcement" : "suspend_enforcement", ...(mineRoles.has("dept_head") ? ["terminate_enforcement"] : [])];
    }
    for (const a of sideActions) {
      const form = actionForm({
        id: `act-${a}`, fields: actions.fields(a, { item: version, view, officers, today }), submitText: actions.actionName(a),
        submit: (v) => call("POST", `/cases/${encodeURIComponent(view.case_no)}/actions`, { body: actions.body(a, v) }),
        done: async () => { ctx.working(); ctx.announce(L("已记录", "Recorded")); await new Promise((r) => setTimeout(r, 800)); ctx.rerender(); },
      });
      put(box, h("details", { class: "act", "data-action": a }, h("summary", {}, actions.actionName(a)), form));
    }
  }
  // 作废: the owning department's head ends a case that is still open (penalty cases end by their own decisions)
  if (mineRoles.has("dept_head") && u.dept_code === view.dept_code && tasks && view.category !== "CF"
      && !["concluded", "rejected"].includes(view.status) && tasks.some((t) => t.status === "pending")) {
    put(box, h("details", { class: "act", "data-action": "void" }, h("summary", {}, actions.actionName("void")),
      voidForm(view.case_no, async () => {
        ctx.working();
        ctx.announce(L("本件已作废", "The case is void"));
        await voided(view.case_no);
        ctx.rerender();
      })));
  }
  if (!box.childNodes.length) put(box, empty(view.status === "concluded" || view.status === "rejected" ? L("本件已办结。", "This case is closed.") : L("本件当前没有您可以办理的环节。", "Nothing for you to do on this case now.")));
  return box;
}

/** 基层延伸: the point that took the application; a code the register does not know is flagged. */
function pointLabel(p) {
  if (!p.registered) return [h("span", { class: "code" }, p.code), " ", tag(L("未登记的网点", "unregistered point"), "warn")];
  return h("span", { id: "case-point" }, `${p.name}（${p.kind_name}${p.township ? ` · ${p.township}` : ""}）`,
    p.active ? null : [" ", tag(L("已停用", "deactivated"), "warn")]);
}

export async function render(view, ctx) {
  const caseNo = ctx.args[0];
  if (!caseNo) {
    put(view, ...heading(L("办件", "Case")), empty(L("未指定办件编号。", "No case number given.")));
    return { title: L("办件", "Case") };
  }
  const [vr, tr] = await Promise.all([
    call("GET", `/staff/cases/${encodeURIComponent(caseNo)}`),
    call("GET", `/cases/${encodeURIComponent(caseNo)}/tasks`),
  ]);
  if (!vr.ok && !(vr.status === 404 && tr.ok)) {
    put(view, ...heading(L(`办件 ${caseNo}`, `Case ${caseNo}`)), failure(vr.error, vr.status === 404 ? L("办件不存在", "No such case") : undefined));
    return { title: caseNo };
  }
  const tasks = tr.ok ? tr.data.items : null;
  // A penalty case registered on the platform has no events until it is opened (立案): its tasks say what it is.
  const first = (tasks || [])[0] || {};
  const c = vr.ok ? vr.data : {
    case_no: caseNo, item_code: tr.data.item_code, item_name: first.item_name, item_version: tr.data.item_version,
    dept_code: first.owner_dept || first.dept_code, category: tr.data.machine === "penalty" ? "CF" : "", status: "registered",
    timeline: [], pauses: [], steps: [], supplements: [], anomalies: [],
  };
  const versions = await call("GET", `/catalog/items/${encodeURIComponent(c.item_code)}/versions`);
  const version = versions.ok ? versions.data.items.find((v) => v.version === c.item_version) || null : null;
  const u = user();
  const ownDept = u.dept_code === c.dept_code && holds("handler", "dept_head");
  let officers = [];
  const [o, people] = await Promise.all([
    ownDept && (c.category === "CF" || c.category === "QZ") ? call("GET", "/legal/officers", { query: { dept_code: c.dept_code, limit: 200 } }) : null,
    ownDept && tasks ? colleagues() : [],
  ]);
  if (o && o.ok) officers = o.data.items;
  const pendingTasks = (tasks || []).filter((t) => t.status === "pending");
  const worst = pendingTasks.map((t) => t.colour).find((x) => x === "red") || pendingTasks.map((t) => t.colour).find((x) => x === "yellow") || (pendingTasks.length ? "green" : null);
  put(view,
    h("p", { class: "small no-print" }, ownDept ? h("a", { href: "#/worklist" }, L("← 返回待办", "← Worklist"))
      : h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => window.history.back() }, L("← 返回", "← Back"))),
    h("h1", { tabindex: "-1" }, c.item_name || c.item_code),
    h("p", { class: "lead" }, h("span", { class: "code", id: "case-no" }, c.case_no), " · ",
      h("span", { id: "case-status" }, statusText(c)), worst ? [" · ", light(worst)] : null,
      tasks ? [" · ", tag(L("运行平台办理", "run on the platform"), "ok")] : [" · ", tag(L("部门系统报送", "reported by the department's system"))]));
  put(view, h("div", { class: "cols" },
    section(L("办件信息", "Case"), kv([
      [L("事项", "Item"), `${dashedCode(c.item_code)}（${L("第", "v")}${c.item_version ?? "—"}${L(" 版", "")}）`],
      [L("部门", "Department"), deptLabel(c.dept_code)],
      ...applicantRows(c, ownDept),
      [L("申办渠道", "Channel"), c.channel ? (c.channel_name || pick(CHANNELS, c.channel, c.channel)) : null],
      [L("受理网点", "Service point"), c.service_point_info ? pointLabel(c.service_point_info) : null],
      [L("申办时间", "Submitted"), c.submitted_at ? fmtTime(c.submitted_at) : null],
      [L("受理时间", "Accepted"), c.accepted_at ? fmtTime(c.accepted_at) : null],
      [L("办结时间", "Concluded"), c.concluded_at ? fmtTime(c.concluded_at) : null],
      [L("结果", "Result"), c.result ? `${c.result.code} ${pick(RESULT_CODES, c.result.code, c.result.desc || "")}${c.result.cert_no ? ` · ${c.result.cert_no}` : ""}${c.result.fee_amount ? ` · ${fmtMoney(c.result.fee_amount)}` : ""}` : null],
    ])),
    section(L("期限", "Deadlines"), kv([
      [L("承诺办结期限", "Promised due"), c.due ? h("strong", { id: "case-due" }, fmtDay(c.due, true)) : L("受理后计算", "from acceptance")],
      [L("如何计算", "How"), c.due_derivation ? c.due_derivation.explanation : null],
      [L("法定期限", "Statutory due"), c.statutory_due ? fmtDay(c.statutory_due, true) : null],
      [L("法定期限计算", "How (statutory)"), c.statutory_derivation ? c.statutory_derivation.explanation : null],
      ...pendingTasks.map((t) => [L(`当前环节到期`, "Current step due"), [fmtDay(t.due_at), h("div", { class: "small muted" }, derivation(t))]]),
    ]))));
  put(view, section(L("办理流程", "Process"), flowChart(c, version, tasks),
    h("p", { class: "muted small" }, version ? L(`依据办件绑定的事项版本（第 ${version.version} 版，${fmtDay(version.effective_from)} 起施行）。`, `The bound item version (v${version.version}, in force from ${fmtDay(version.effective_from)}).`) : L("未找到绑定的事项版本。", "The bound version was not found."))));
  if (ownDept) put(view, section(L("办理", "Act"), actionArea(ctx, c, version, tasks, officers, people)));
  const risks = riskBlock(c, version, tasks);
  if (risks) put(view, risks);
  put(view, h("div", { class: "cols" },
    section(L("办理记录", "Timeline"), timeline(c)),
    section(L("申请材料", "Materials"), materialsBlock(c, version))));
  put(view, section(L("特别程序（延期、暂停计时）", "Special procedures"), pausesTable(c)));
  const pen = penaltyBlock(c, version);
  if (pen) put(view, pen);
  if (tasks && tasks.length) {
    put(view, section(L("环节记录", "Steps"), table({ caption: L("运行平台任务", "Tasks on the platform"), rows: tasks, columns: [
      { label: L("环节", "Step"), render: (t) => (t.kind === "step" ? (t.step || {}).name : pick(TASK_KINDS, t.kind, t.kind)) },
      { label: L("办理人", "Held by"), render: (t) => (t.status === "pending" ? holderText(t, people, u) : t.status === "voided" ? t.assignee || "—" : t.completed_by || "—") },
      { label: L("开始", "Started"), render: (t) => fmtTime(t.started_at) },
      { label: L("到期", "Due"), render: (t) => fmtDay(t.due_at) },
      { label: L("完成", "Done"), render: (t) => (t.status === "voided" ? L(`${fmtTime(t.completed_at)} 随办件作废`, `${fmtTime(t.completed_at)} voided with the case`) : t.completed_at ? `${fmtTime(t.completed_at)} · ${t.completed_by || ""}` : L("待办", "pending")) },
      { label: L("超时", "Late"), render: (t) => (t.late_days ? L(`超时 ${t.late_days} 个工作日`, `${t.late_days} wd late`) : "—") },
      { label: L("意见", "Opinion"), render: (t) => t.opinion || "—" },
    ] })));
  }
  if ((c.anomalies || []).length) put(view, section(L("异常", "Anomalies"), h("ul", {}, c.anomalies.map((a) => h("li", {}, a.message)))));
  for (const block of await recordsBlock(c)) put(view, block);
  return { title: `${c.case_no} ${c.item_name || ""}` };
}
