// 绩效评估 (#/evaluation?period=2026Q3): each department's metrics and grade (优秀/良好/合格/不合格),
// a chart of on-time rates, the Excel downloads, issuing the 监察建议书 of a finished quarter, and
// each letter as a printable page (#/letter/{period}/{dept}, print stylesheet).
import { L } from "../../shared/i18n.js";
import { config } from "../../shared/data.js";
import { barChart } from "../../shared/chart.js";
import { fmtDay, fmtRate, h, pick, put, route } from "../../shared/util.js";
import { accessToken, call, holds, user } from "../session.js";
import { GRADES } from "../names.js";
import { empty, failure, heading, section, table, tag } from "../ui.js";

export function periods() {
  const d = new Date();
  let y = d.getFullYear();
  let q = Math.floor(d.getMonth() / 3) + 1;
  const out = [];
  for (let i = 0; i < 6; i += 1) {
    out.push(`${y}Q${q}`);
    q -= 1;
    if (q === 0) { q = 4; y -= 1; }
  }
  return [...out, String(d.getFullYear()), String(d.getFullYear() - 1)];
}

const gradeKind = (g) => ({ 优秀: "ok", 良好: "ok", 合格: "", 不合格: "red" }[g] ?? "");

/** Download a staff-only file (a plain link cannot carry the bearer token). */
async function download(path, query, filename, status) {
  status.textContent = L("正在生成…", "Preparing…");
  await call("GET", "/auth/me"); // refreshes an expired access token first
  const url = new URL(String(config.api).replace(/\/+$/, "") + path);
  for (const [k, v] of Object.entries(query)) if (v) url.searchParams.set(k, v);
  let res;
  try {
    res = await fetch(url.href, { headers: { Authorization: `Bearer ${accessToken()}` } });
  } catch {
    status.textContent = L("下载失败：无法连接服务。", "Download failed: the service cannot be reached.");
    return;
  }
  if (!res.ok) {
    status.textContent = L(`下载失败（${res.status}）。`, `Download failed (${res.status}).`);
    return;
  }
  const a = h("a", { href: URL.createObjectURL(await res.blob()), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  status.textContent = L("已下载。", "Downloaded.");
}

async function letterPage(view, ctx) {
  const [period, dept] = ctx.args;
  const r = await call("GET", "/supervision/letters", { query: { period, dept_code: dept } });
  put(view, h("div", { class: "actions no-print" }, h("a", { href: route("evaluation", [], { period }) }, L("← 返回绩效评估", "← Evaluation")),
    h("button", { type: "button", class: "btn btn-small", onclick: () => window.print() }, L("打印", "Print"))));
  const letter = r.ok ? r.data.items.find((x) => x.dept_code === dept) : null;
  if (!letter) {
    put(view, ...heading(L("监察建议书", "Supervision recommendation")), r.ok ? empty(L("该部门本期没有监察建议书。", "No letter for this department and period.")) : failure(r.error));
    return;
  }
  const m = letter.metrics || {};
  put(view, h("article", { class: "letter", id: "letter" },
    h("h1", { tabindex: "-1" }, "监察建议书"),
    h("p", { class: "docno" }, letter.letter_no),
    h("p", { class: "noindent" }, `${letter.dept_name || letter.dept_code}：`),
    h("p", {}, letter.content),
    h("p", {}, `本期主要指标：受理 ${m.received ?? "—"} 件，办结 ${m.concluded ?? "—"} 件，按时办结率 ${fmtRate(m.on_time_rate)}，每百件红牌 ${m.red_per_100 ?? "—"} 张、黄牌 ${m.yellow_per_100 ?? "—"} 张，每百件投诉 ${m.complaints_per_100 ?? "—"} 件，满意率 ${fmtRate(m.satisfaction_rate)}。`),
    h("p", {}, `存在的问题：${(letter.shortfalls || []).join("；")}。`),
    h("p", { class: "sign" }, "监察局", h("br"), fmtDay(letter.issued_at))));
}

async function overview(view, ctx) {
  const period = ctx.params.get("period") || periods()[1];
  put(view, ...heading(L("绩效评估", "Performance evaluation"), L("按期间评估各部门的按时办结率、红黄牌、投诉与满意度，评定优秀、良好、合格、不合格；不合格的部门在季度结束后出具监察建议书。", "Each department's on-time rate, signals, complaints and satisfaction, graded; failing departments get a 监察建议书 after the quarter.")));
  const select = h("select", { id: "period", name: "period" }, periods().map((p) => h("option", { value: p, selected: p === period }, p)));
  select.addEventListener("change", () => { window.location.hash = route("evaluation", [], { period: select.value }); });
  const status = h("span", { role: "status", class: "muted" });
  const dl = (path, name) => h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: () => download(path, { period }, name, status) }, L("下载 Excel", "Excel"));
  put(view, h("div", { class: "actions no-print" }, h("label", { for: "period" }, L("评估期间", "Period")), select,
    h("span", {}, L("评估表：", "Evaluation: "), dl("/supervision/evaluation.xlsx", `evaluation-${period}.xlsx`)),
    h("span", {}, L("部门统计：", "Statistics: "), dl("/stats/departments.xlsx", `departments-${period}.xlsx`)), status));
  const r = await call("GET", "/supervision/evaluation", { query: { period } });
  if (!r.ok) {
    put(view, failure(r.error));
    return;
  }
  const items = r.data.items || [];
  if (!items.length) put(view, empty(L("本期没有可评估的部门。", "Nothing to evaluate for this period.")));
  else {
    const withRate = items.filter((x) => x.on_time_rate !== null && x.on_time_rate !== undefined);
    if (withRate.length) {
      put(view, barChart({ title: L(`${period} 各部门按时办结率`, `On-time rate by department, ${period}`), desc: L("与下表数据相同", "Same figures as the table below"),
        labels: withRate.map((x) => x.dept_name || x.dept_code), max: 1, width: Math.min(900, Math.max(320, view.clientWidth || 800)),
        series: [{ name: L("按时办结率", "On-time rate"), color: "#1b3a6b", values: withRate.map((x) => x.on_time_rate), format: (v) => `${Math.round(v * 100)}%` }] }));
    }
    put(view, table({ caption: L(`${period} 绩效评估`, `Evaluation ${period}`), rows: items,
      rowAttrs: (x) => ({ class: x.grade === "不合格" ? "is-red" : null, "data-dept": x.dept_code }),
      columns: [
        { label: L("部门", "Department"), render: (x) => x.dept_name || x.dept_code },
        { label: L("等级", "Grade"), render: (x) => (x.grade ? tag(pick(GRADES, x.grade, x.grade), gradeKind(x.grade)) : L("样本不足", "too few cases")) },
        { label: L("受理/办结", "Received / concluded"), cls: "num", render: (x) => `${x.received} / ${x.concluded}` },
        { label: L("按时办结率", "On time"), cls: "num", render: (x) => fmtRate(x.on_time_rate) },
        { label: L("每百件红/黄牌", "Red / yellow per 100"), cls: "num", render: (x) => `${x.red_per_100 ?? "—"} / ${x.yellow_per_100 ?? "—"}` },
        { label: L("每百件投诉", "Complaints per 100"), cls: "num", render: (x) => String(x.complaints_per_100 ?? "—") },
        { label: L("满意率", "Satisfaction"), cls: "num", render: (x) => fmtRate(x.satisfaction_rate) },
        { label: L("问题", "Shortfalls"), render: (x) => (x.shortfalls || []).join("；") || "—" },
        { label: L("监察建议书", "Letter"), render: (x) => (x.letter_no ? h("a", { href: route("letter", [period, x.dept_code]) }, x.letter_no) : "—") },
      ] }));
  }
  if (holds("supervisor") && /Q[1-4]$/.test(period)) {
    const out = h("span", { role: "status", class: "muted" });
    const btn = h("button", { type: "button", class: "btn", id: "issue-letters" }, L("向不合格部门出具监察建议书", "Issue letters to failing departments"));
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      const res = await call("POST", `/supervision/evaluation/${period}/letters`, { body: {} });
      btn.disabled = false;
      out.textContent = res.ok ? L(`已出具 ${res.data.issued} 份（此前已出具 ${res.data.already_issued} 份）。`, `${res.data.issued} issued (${res.data.already_issued} before).`) : res.error.message;
      if (res.ok) setTimeout(() => ctx.rerender(), 600);
    });
    put(view, section(L("监察建议书", "Letters"), h("div", { class: "actions no-print" }, btn, out)));
  }
  const letters = await call("GET", "/supervision/letters", { query: { period } });
  if (letters.ok && letters.data.items.length) {
    put(view, table({ caption: L("已出具的监察建议书", "Letters issued"), rows: letters.data.items, columns: [
      { label: L("文号", "Number"), render: (x) => h("a", { href: route("letter", [x.period, x.dept_code]) }, x.letter_no) },
      { label: L("部门", "Department"), render: (x) => x.dept_name || x.dept_code },
      { label: L("整改期限", "Rectify by"), render: (x) => fmtDay(x.rectify_deadline) },
      { label: L("出具", "Issued"), render: (x) => fmtDay(x.issued_at) },
    ] }));
  }
  if (user().dept_code && !letters.ok) put(view, failure(letters.error));
}

export async function render(view, ctx) {
  if (ctx.page === "letter") await letterPage(view, ctx);
  else await overview(view, ctx);
  return { title: ctx.page === "letter" ? L("监察建议书", "Letter") : L("绩效评估", "Evaluation") };
}
