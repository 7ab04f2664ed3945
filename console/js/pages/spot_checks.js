// 抽查 (#/spot-checks): draw a reproducible random sample of a department's decided cases, then
// record a conclusion on each (#/spot-checks/{no}); a confirmed wrongful refusal raises red R7.
import { L } from "../../shared/i18n.js";
import { choices, field } from "../../shared/forms.js";
import { fmtDay, fmtTime, h, put, route } from "../../shared/util.js";
import { call } from "../session.js";
import { actionForm, failure, heading, kv, listing, section, table, tag } from "../ui.js";

const POPULATION = { rejected: ["不予受理/不予许可的办件", "Refused cases"], concluded: ["已办结的办件", "Concluded cases"], decided: ["全部已作出决定的办件", "All decided cases"] };
const FINDINGS = { compliant: ["合法合规", "Compliant", "ok"], wrongful_rejection: ["违法不予受理（产生红牌 R7）", "Wrongful refusal (red R7)", "red"], irregular: ["程序不规范", "Irregular", "warn"] };

function lastQuarter() {
  const d = new Date();
  const q = Math.floor(d.getMonth() / 3);
  return q === 0 ? `${d.getFullYear() - 1}Q4` : `${d.getFullYear()}Q${q}`;
}

async function detail(view, ctx) {
  const no = ctx.args[0];
  put(view, h("p", { class: "small no-print" }, h("a", { href: "#/spot-checks" }, L("← 返回抽查", "← Spot checks"))));
  const r = await call("GET", `/supervision/spot-checks/${encodeURIComponent(no)}`);
  if (!r.ok) {
    put(view, ...heading(L(`抽查 ${no}`, `Spot check ${no}`)), failure(r.error));
    return;
  }
  const s = r.data;
  put(view, ...heading(L(`抽查 ${s.spot_check_no}`, `Spot check ${s.spot_check_no}`)), kv([
    [L("部门", "Department"), s.dept_code], [L("期间", "Period"), s.period], [L("抽样范围", "Population"), L(...(POPULATION[s.population] || [s.population, s.population]))],
    [L("抽取", "Drawn"), L(`从 ${s.draw.eligible} 件中随机抽取 ${s.cases.length} 件（种子 ${s.draw.seed}，可复核）`, `${s.cases.length} of ${s.draw.eligible} (seed ${s.draw.seed}, reproducible)`)],
    [L("发起", "Created"), `${fmtTime(s.created_at)} · ${s.created_by}`], [L("说明", "Note"), s.note || null],
  ]));
  put(view, section(L("抽中的办件", "Sampled cases"), s.cases.map((c) => h("article", { class: "card", "data-case": c.case_no },
    h("h3", {}, h("a", { href: route("case", [c.case_no]), class: "code" }, c.case_no), " ", c.item_name || c.item_code,
      c.review ? [" ", tag(L(...FINDINGS[c.review.finding].slice(0, 2)), FINDINGS[c.review.finding][2])] : [" ", tag(L("待复核", "to review"), "warn")]),
    h("p", { class: "small muted" }, L(`决定日 ${fmtDay(c.decided_on)} · 状态 ${c.status}`, `decided ${fmtDay(c.decided_on)} · ${c.status}`)),
    c.review ? h("p", {}, c.review.note, h("span", { class: "small muted" }, ` — ${c.review.by} ${fmtTime(c.review.at)}`)) : null,
    h("details", { class: "act", "data-action": "review" }, h("summary", {}, c.review ? L("修改复核结论", "Revise the conclusion") : L("填写复核结论", "Record the conclusion")), actionForm({
      fields: [choices({ name: "finding", legend: L("结论", "Finding"), value: c.review ? c.review.finding : "compliant", choices: Object.entries(FINDINGS).map(([k, v]) => [k, L(v[0], v[1])]) }),
        field({ name: "note", label: L("复核意见", "Note"), type: "textarea", rows: 3, required: true })],
      submitText: L("保存结论", "Save"),
      submit: (v) => call("POST", `/supervision/spot-checks/${encodeURIComponent(no)}/reviews`, { body: { case_no: c.case_no, finding: v.finding, note: v.note } }),
      done: async () => { ctx.working(); ctx.rerender(); },
    }))))));
}

async function list(view, ctx) {
  put(view, ...heading(L("抽查", "Spot checks"), L("按部门和期间随机抽取已作出决定的办件进行复核，抽样过程可复现。", "Random, reproducible samples of a department's decided cases for review.")));
  put(view, section(L("发起抽查", "Draw a sample"), actionForm({
    id: "spot-form",
    fields: [h("div", { class: "row2" }, field({ name: "dept_code", label: L("部门代码", "Department"), required: true, inputmode: "numeric" }),
      field({ name: "period", label: L("决定期间", "Period"), value: lastQuarter(), required: true, hint: L("如 2026Q3、2026-09 或 2026", "e.g. 2026Q3, 2026-09 or 2026") })),
    h("div", { class: "row2" }, field({ name: "population", label: L("抽样范围", "Population"), options: Object.entries(POPULATION).map(([k, v]) => [k, L(v[0], v[1])]) }),
      field({ name: "size", label: L("抽取件数", "Sample size"), type: "number", value: "5" })),
    field({ name: "note", label: L("说明", "Note") })],
    submitText: L("随机抽取", "Draw"),
    submit: (v) => call("POST", "/supervision/spot-checks", { body: { dept_code: v.dept_code, period: v.period, population: v.population, size: Number(v.size || 5), note: v.note || "" } }),
    done: (data) => { window.location.hash = route("spot-checks", [data.spot_check_no]); },
  })));
  const { node } = await listing(ctx, {
    path: "/supervision/spot-checks", filters: [{ name: "dept_code", label: L("部门代码", "Department"), inputmode: "numeric" }],
    emptyText: L("还没有抽查。", "No spot checks yet."), caption: L("抽查记录", "Spot checks"),
    columns: [
      { label: L("编号", "Number"), render: (s) => h("a", { href: route("spot-checks", [s.spot_check_no]), class: "code" }, s.spot_check_no) },
      { label: L("部门", "Department"), render: (s) => s.dept_code }, { label: L("期间", "Period"), render: (s) => s.period },
      { label: L("抽取/复核", "Drawn / reviewed"), render: (s) => `${(s.cases || []).length} / ${(s.cases || []).filter((c) => c.review).length}` },
      { label: L("发起", "Created"), render: (s) => fmtTime(s.created_at) },
    ],
  });
  put(view, node);
}

export async function render(view, ctx) {
  if (ctx.args[0]) await detail(view, ctx);
  else await list(view, ctx);
  return { title: L("抽查", "Spot checks") };
}
