// 依申请公开 · one request (#/disclosure-request/{no}): what was asked and by whom (in full only for those
// who handle it — the API masks the applicant for department supervision, 监察局 and the legal office),
// the answer clock and how its due date was derived, the verified hash-chained history, the files,
// and the department's acts the law allows now: 告知补正 (once, within 7 working days, saying what is
// missing), 收到补正 (the count restarts), 征求第三方意见 start and end (not counted), 延长答复期限
// (once, up to 20 working days, with the approver), 作出答复 (type, text, the reason and its kind)
// and 终止办理. The API decides; its errors appear beside the field they concern.
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { fmtDay, fmtTime, h, pick, put, shanghaiDay } from "../../shared/util.js";
import { call, holds } from "../session.js";
import { ACT_NAMES, ANSWER_TYPES, APPLICANT_TYPES, CLOCK_STATES, DELIVERY, FORMATS, NO_REASON, REASONS_BY_TYPE, REASON_NAMES,
  REQUEST_CHANNELS, REQUEST_STATUS, WITHDRAW_REASONS } from "../disclosure_names.js";
import { attachmentField } from "../../shared/upload.js";
import { actionForm, empty, failure, heading, kv, light, section, table, tag } from "../ui.js";
import { RECORD_STATUS } from "../names.js";
import { requestLight, timeLeft } from "./disclosure.js";
import { deptLabel } from "../depts.js";

const ROOT = "disclosure-request";

function applicantRows(v) {
  const a = v.applicant || {};
  return [
    [L("申请人", "Applicant"), h("span", { id: "applicant-name" }, a.name || "—", a.masked ? h("span", { class: "muted small" }, L("（已脱敏）", " (masked)")) : null)],
    [L("类型", "Type"), pick(APPLICANT_TYPES, a.type, a.type || "—")],
    [L("联系人", "Contact"), a.contact || null],
    [L("证件", "ID"), a.id_no ? `${a.id_type || ""} ${a.id_no}` : null],
    [L("联系电话", "Phone"), a.phone || null],
    [L("电子邮箱", "E-mail"), a.email || null],
    [L("通信地址", "Address"), a.address ? `${a.address}${a.postcode ? `（${a.postcode}）` : ""}` : null],
  ];
}

function clockRows(v) {
  const colour = requestLight(v);
  const ext = v.extension;
  return [
    [L("收到日期", "Received"), fmtDay(v.received_on, true)],
    [L("答复期限", "Due"), v.due ? h("strong", { id: "request-due" }, fmtDay(v.due, true)) : h("span", { id: "request-due" }, pick(CLOCK_STATES, v.clock_state, "—"))],
    [L("剩余时间", "Time left"), h("span", { id: "request-left" }, colour ? light(colour, timeLeft(v)) : timeLeft(v))],
    [L("计时状态", "Clock"), pick(CLOCK_STATES, v.clock_state, v.clock_state)],
    [L("法定期限（未延期）", "Statutory due"), v.statutory_due && v.statutory_due !== v.due ? fmtDay(v.statutory_due, true) : null],
    [L("补正告知期限", "Clarify by"), v.clarify_deadline ? [fmtDay(v.clarify_deadline), v.clarify_late ? h("span", { class: "deadline" }, L("（补正告知已超期）", " (asked late)")) : null] : null],
    [L("延期", "Extension"), ext ? L(`${fmtDay(ext.on)} 延长 ${ext.working_days} 个工作日，批准人 ${ext.approver}；理由：${ext.reason}`,
      `${fmtDay(ext.on)} extended by ${ext.working_days} working days, approved by ${ext.approver}: ${ext.reason}`) : null],
    [L("征求第三方意见", "Consultations"), (v.consultations || []).length ? h("ul", { class: "plain" }, v.consultations.map((c) => h("li", {},
      `${c.third_party || L("第三方", "third party")}：${fmtDay(c.start)} – ${c.end ? fmtDay(c.end) : L("进行中", "running")}`))) : null],
  ];
}

/** What each record of the log said (the clarification asked for, the approver, the answer …). */
function recordDetail(rec) {
  const d = rec.data || {};
  const parts = [];
  if (rec.type === "received") parts.push(L(`渠道：${pick(REQUEST_CHANNELS, d.channel, d.channel || "—")}`, `channel: ${pick(REQUEST_CHANNELS, d.channel, d.channel || "—")}`));
  if (d.third_party) parts.push(L(`第三方：${d.third_party}`, `third party: ${d.third_party}`));
  if (rec.type === "answered") parts.push(`${pick(ANSWER_TYPES, d.type, d.type_name || d.type)}${d.reason_code ? `（${pick(REASON_NAMES, d.reason_code, d.reason_code)}）` : ""}`);
  if (d.text && rec.type !== "received") parts.push(d.text);
  if (d.working_days) parts.push(L(`延长 ${d.working_days} 个工作日，批准人 ${d.approver}`, `+${d.working_days} working days, approved by ${d.approver}`));
  if (d.reason) parts.push(L(`理由：${d.reason}`, `reason: ${d.reason}`));
  if (d.reason_name) parts.push(d.reason_name);
  if (d.late) parts.push(h("strong", { class: "deadline" }, rec.type === "answered" ? L("逾期答复", "answered late") : L("超过 7 个工作日", "after 7 working days")));
  if ((d.attachments || []).length) parts.push(L(`附件 ${d.attachments.length} 个`, `${d.attachments.length} files`));
  return parts;
}

function history(v) {
  const log = v.log || [];
  const bySeq = new Map(log.map((r) => [r.seq, r]));
  if (!(v.history || []).length) return empty(L("暂无记录。", "No records."));
  return h("ol", { class: "timeline", id: "request-history" }, v.history.map((e) => {
    const rec = bySeq.get(e.seq) || { type: e.type, data: {} };
    const by = e.by && typeof e.by === "object" ? (e.by.kind === "applicant" ? L("申请人", "applicant") : e.by.username || "") : e.by || "";
    const detail = recordDetail(rec);
    return h("li", { "data-type": e.type },
      h("span", { class: "when" }, e.on ? fmtDay(e.on) : fmtTime(e.at)), h("strong", {}, e.name),
      by ? h("span", { class: "muted" }, ` · ${by}`) : null,
      detail.length ? h("p", { class: "extra" }, detail.flatMap((p, i) => (i ? ["；", p] : [p]))) : null);
  }));
}

function chainNote(v) {
  const c = v.chain || {};
  if (c.verified) return h("p", { class: "small muted", id: "request-chain" }, tag(L("哈希链校验通过", "hash chain verified"), "ok"), " ",
    L(`共 ${c.records} 条记录，末条哈希 ${String(c.head || "").slice(0, 16)}…`, `${c.records} records, head ${String(c.head || "").slice(0, 16)}…`));
  return h("p", { class: "notice error", id: "request-chain", role: "alert" }, L(`哈希链校验失败：${c.problem || "未知原因"}`, `Hash chain broken: ${c.problem || "unknown"}`));
}

async function download(att) {
  const r = await call("GET", `/attachments/${encodeURIComponent(att.attachment_id)}`);
  if (r.ok && r.data.url) window.open(r.data.url, "_blank", "noopener");
  return r;
}

function files(v) {
  const list = v.attachments || [];
  if (!list.length) return empty(L("没有附件。", "No files."));
  return h("ul", { class: "plain", id: "request-files" }, list.map((a) => {
    const status = h("span", { class: "small muted", role: "status" });
    return h("li", {}, h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: async () => {
      status.textContent = "";
      const r = await download(a);
      if (!r.ok) status.textContent = r.error.message;
    } }, L(`下载 ${a.name}`, `Download ${a.name}`)),
    h("span", { class: "small muted" }, ` ${a.size ? `${Math.ceil(a.size / 1024)} KB · ` : ""}${a.record === "received" ? L("申请人提交", "from the applicant") : L("办理文书", "an act's document")} · SHA-256 ${String(a.sha256 || "").slice(0, 12)}…`), " ", status);
  }));
}

function answerBlock(v) {
  const a = v.answer;
  if (!a) return null;
  return section(L("答复", "Answer"), kv([
    [L("答复类型", "Type"), h("strong", { id: "answer-type" }, pick(ANSWER_TYPES, a.type, a.type_name || a.type))],
    [L("答复日期", "Answered on"), fmtDay(a.on || a.answered_on, true)],
    [L("答复内容", "Text"), h("span", { class: "pre-line" }, a.text || "—")],
    [L("理由和依据", "Reason"), a.reason ? h("span", { class: "pre-line" }, a.reason) : null],
    [L("理由类别（年度报告）", "Reason kind"), a.reason_code ? pick(REASON_NAMES, a.reason_code, a.reason_code) : null],
    [L("是否逾期", "Late"), a.late ? h("strong", { class: "deadline" }, L(`逾期答复（期限 ${fmtDay(a.due)}）`, `late (due ${fmtDay(a.due)})`)) : L("按期答复", "on time")],
  ]));
}

const today = () => shanghaiDay();

function onField(v) {
  return field({ name: "on", label: L("办理日期", "Date"), type: "date", value: today(),
    hint: L(`默认今天；不能早于上一环节（${fmtDay(v.history && v.history.length ? v.history[v.history.length - 1].on : v.received_on)}），不能晚于今天`, "Today by default; not before the previous act, not in the future") });
}

function reasonKinds(type) {
  const kinds = REASONS_BY_TYPE[type] || {};
  return [["", Object.keys(kinds).length ? L("由理由文字判断（或请选择）", "Read from the reason (or choose)") : L("无需填写", "Not needed")],
    ...Object.keys(kinds).map((k) => [k, pick(kinds, k, k)])];
}

function answerFields(v) {
  const type = field({ name: "type", label: L("答复类型", "Answer type"), required: true, value: "disclosed",
    options: Object.keys(ANSWER_TYPES).map((k) => [k, pick(ANSWER_TYPES, k, k)]) });
  const code = field({ name: "reason_code", label: L("理由类别（年度报告按类别统计）", "Reason kind (counted in the annual report)"), options: reasonKinds("disclosed") });
  const reason = field({ name: "reason", label: L("理由和依据", "Reason and legal basis"), type: "textarea", rows: 3,
    hint: L("予以公开、已主动公开之外的答复类型必须说明理由和法律依据", "Required unless the information is disclosed or already public") });
  const select = type.querySelector("select");
  const codeSelect = code.querySelector("select");
  const sync = () => {
    codeSelect.replaceChildren(...reasonKinds(select.value).map(([value, text]) => h("option", { value }, text)));
    reason.querySelector("textarea").required = !NO_REASON.has(select.value);
  };
  select.addEventListener("change", sync);
  return [type, field({ name: "text", label: L("答复内容", "Answer"), type: "textarea", rows: 5, required: true,
    hint: L("告知申请人的答复正文；已主动公开的，写明获取的方式和途径；非本机关负责的，写明负责机关", "What the applicant is told; where to find it; or which body holds it") }),
  reason, code, onField(v)];
}

/** The answer's documents (答复书, the information itself): uploaded when the answer is sent. */
function answerFiles() {
  return attachmentField({ id: "answer-files", purpose: "action", send: call, label: L("答复文书（附件，选填）", "Documents (optional)"),
    hint: L("如政府信息公开申请答复书、所公开的信息；PDF、JPG、PNG、OFD、DOCX、XLSX，每个不超过 20 MB。文件的 SHA-256 记入办理记录的哈希链。",
      "E.g. the answer letter or the information itself; up to 20 MB each. Each file's SHA-256 goes into the hash-chained record.") });
}

/** Each act with its fields and the API body it sends (empty optional fields left out). */
function acts(v) {
  const state = v.clock_state;
  const running = state === "running";
  const list = [];
  if (running) list.push(["answer", answerFields(v)]);
  if (running && !v.clarify && !v.extension) list.push(["clarify", [
    field({ name: "text", label: L("需要补正的内容", "What must be clarified"), type: "textarea", rows: 4, required: true,
      hint: L(`一次性告知申请人需要补正的事项和合理期限；应于 ${fmtDay(v.clarify_deadline)}（收到后 7 个工作日）前告知，补正期间不计时，收到补正后重新计算 20 个工作日`,
        `Say once what is missing, by ${fmtDay(v.clarify_deadline)}; the clock stops and restarts on the clarification`) }),
    onField(v)]]);
  if (state === "clarifying") {
    list.push(["clarified", [field({ name: "text", label: L("补正内容", "The clarification"), type: "textarea", rows: 3 }),
      field({ name: "on", label: L("收到补正的日期", "Received on"), type: "date", value: today(), hint: L("自该日起重新计算 20 个工作日", "20 working days count again from this day") })]]);
    list.push(["withdraw", [field({ name: "reason_code", label: L("终止理由", "Reason"), value: "not_clarified",
      options: Object.keys(WITHDRAW_REASONS).map((k) => [k, pick(WITHDRAW_REASONS, k, k)]) }),
    field({ name: "text", label: L("说明", "Note"), type: "textarea", rows: 2 }), onField(v)]]);
  }
  if (running) list.push(["consult_start", [
    field({ name: "third_party", label: L("第三方", "Third party"), required: true, hint: L("第三方应在 15 个工作日内提出意见；征求意见所需时间不计入答复期限", "The third party has 15 working days; the time is not counted") }),
    field({ name: "text", label: L("征求意见的事项", "What is asked"), type: "textarea", rows: 3 }), onField(v)]]);
  if (state === "consulting") list.push(["consult_end", [field({ name: "text", label: L("第三方意见", "The third party's opinion"), type: "textarea", rows: 3 }), onField(v)]]);
  if (running && !v.extension) list.push(["extend", [
    field({ name: "working_days", label: L("延长工作日数", "Working days"), type: "number", inputmode: "numeric", value: "20", required: true, hint: L("只能延长一次，最长 20 个工作日", "Once, at most 20 working days") }),
    field({ name: "approver", label: L("批准人（政府信息公开工作机构负责人）", "Approved by (head of the disclosure office)"), required: true }),
    field({ name: "reason", label: L("延期理由", "Reason"), type: "textarea", rows: 3, required: true, hint: L("延期须告知申请人", "The applicant is told") }),
    onField(v)]]);
  return list;
}

function body(action, values) {
  const out = { action };
  for (const [k, raw] of Object.entries(values)) {
    if (k === "files" || raw === "" || raw === null || raw === undefined || (Array.isArray(raw) && !raw.length)) continue;
    out[k] = k === "working_days" && /^\d+$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

function actionArea(ctx, v) {
  const box = h("div", { id: "request-actions" });
  const list = acts(v);
  if (!list.length) {
    put(box, empty(L("当前没有可办理的环节。", "Nothing to do now.")));
    return box;
  }
  if (v.clock_state !== "running") {
    put(box, h("p", { class: "notice warn" }, v.clock_state === "clarifying"
      ? L("正在等待申请人补正：计时中止。收到补正后请登记，自该日起重新计算 20 个工作日。", "Waiting for the applicant's clarification: the clock is stopped.")
      : L("正在征求第三方意见：计时中止。意见返回后请登记征求意见结束。", "A third party is being consulted: the clock is stopped.")));
  }
  const send = (payload) => call("POST", `/disclosure/requests/${encodeURIComponent(v.request_no)}/actions`, { body: payload });
  list.forEach(([action, fields], i) => {
    const upload = action === "answer" ? answerFiles() : null;
    const form = actionForm({
      id: `act-${action}`, fields: upload ? [...fields, upload.element] : fields, submitText: pick(ACT_NAMES, action, action),
      submit: async (values) => {
        if (!upload) return send(body(action, values));
        const problems = upload.problems();
        if (problems.length) return { ok: false, error: { message: L("请更正附件", "Please correct the files"), details: problems } };
        const up = await upload.upload();
        if (!up.ok) return { ok: false, error: { message: up.message, details: [up.detail] } };
        return send({ ...body(action, values), ...(up.ids.length ? { attachments: up.ids } : {}) });
      },
      done: async () => { ctx.working(); ctx.announce(L("已办理", "Done")); ctx.rerender(); },
    });
    put(box, h("details", { class: "act", open: i === 0 || null, "data-action": action }, h("summary", {}, pick(ACT_NAMES, action, action)), form));
  });
  return box;
}

/** The request's R15 signals (依申请公开超期), for those who read signals. */
async function signalsBlock(no) {
  if (!holds("handler", "dept_head", "dept_supervision", "supervisor")) return null;
  const r = await call("GET", "/supervision/signals", { query: { case_no: no, rule: "R15" } });
  if (!r.ok) return null;
  const items = r.data.items || [];
  return section(L("监察信号", "Signals"), items.length ? table({ caption: L("本申请的 R15 信号", "R15 signals on this request"), rows: items, columns: [
    { label: L("信号", "Signal"), render: (s) => light(s.level, `${s.rule} ${L("依申请公开超期", "Disclosure request overdue")}`) },
    { label: L("内容", "Message"), render: (s) => s.message },
    { label: L("状态", "Status"), render: (s) => h("a", { href: `#/signals?case_no=${encodeURIComponent(no)}` }, pick(RECORD_STATUS, s.status, s.status)) },
    { label: L("产生", "Raised"), render: (s) => fmtTime(s.raised_at) },
  ] }) : empty(L("本申请没有监察信号。", "No signals on this request.")));
}

export async function render(view, ctx) {
  const no = ctx.args[0];
  const title = L("依申请公开", "Request for disclosure");
  if (!no) {
    put(view, ...heading(title), empty(L("未指定申请编号。", "No request number given.")));
    return { title };
  }
  const r = await call("GET", `/staff/disclosure/requests/${encodeURIComponent(no)}`);
  if (!r.ok) {
    put(view, ...heading(L(`申请 ${no}`, `Request ${no}`)), failure(r.error, r.status === 404 ? L("申请不存在", "No such request") : undefined));
    return { title: no };
  }
  const v = r.data;
  const colour = requestLight(v);
  put(view,
    h("p", { class: "small no-print" }, h("a", { href: "#/disclosure" }, L("← 返回依申请公开", "← Requests"))),
    h("h1", { tabindex: "-1" }, L("政府信息公开申请", "Request for government information")),
    h("p", { class: "lead" }, h("span", { class: "code", id: "request-no" }, v.request_no), " · ", deptLabel(v.dept_code), " · ",
      h("span", { id: "request-status" }, pick(REQUEST_STATUS, v.status, v.status_name)), colour ? [" · ", light(colour, colour === "red" ? L("已超期", "Overdue") : null)] : null));
  put(view, h("div", { class: "cols" },
    section(L("申请内容", "The request"), kv([
      ...applicantRows(v),
      [L("所需信息", "Information sought"), h("span", { class: "pre-line", id: "request-description" }, v.description || "—")],
      [L("用途", "Purpose"), v.purpose || null],
      [L("获取方式", "Format"), `${pick(FORMATS, v.format, v.format || "—")}${v.delivery ? ` · ${pick(DELIVERY, v.delivery, v.delivery)}` : ""}`],
      [L("申请渠道", "Channel"), pick(REQUEST_CHANNELS, v.channel, v.channel || "—")],
      [v.channel === "online" ? L("提交时间", "Submitted") : L("登记时间", "Registered"), v.submitted_at ? fmtTime(v.submitted_at) : null],
    ])),
    section(L("答复期限", "The answer clock"), kv(clockRows(v)),
      (v.due_derivation || []).length ? h("details", { class: "act" }, h("summary", {}, L("期限如何计算", "How the due date was derived")),
        h("ol", { class: "small" }, v.due_derivation.map((line) => h("li", {}, line)))) : null)));
  if (v.clarify) put(view, h("p", { class: "notice warn", id: "request-clarify" }, L(`${fmtDay(v.clarify.on)} 已告知补正：`, `${fmtDay(v.clarify.on)} clarification asked: `), v.clarify.text || "",
    v.clarified_on ? L(`；${fmtDay(v.clarified_on)} 收到补正`, `; received ${fmtDay(v.clarified_on)}`) : L("；尚未补正", "; not yet clarified")));
  const answered = answerBlock(v);
  if (answered) put(view, answered);
  if (v.may_act && !["answered", "withdrawn"].includes(v.status)) put(view, section(L("办理", "Act"), actionArea(ctx, v)));
  else if (!v.may_act) put(view, h("p", { class: "muted small" }, L("只有本机关的办理人员可以办理该申请；申请人的个人信息已脱敏。", "Only the department's handlers act on it; the applicant is masked for you.")));
  put(view, h("div", { class: "cols" },
    section(L("办理记录", "History"), chainNote(v), history(v)),
    section(L("附件", "Files"), files(v))));
  const signals = await signalsBlock(v.request_no);
  if (signals) put(view, signals);
  return { title: `${v.request_no} ${title}` };
}
