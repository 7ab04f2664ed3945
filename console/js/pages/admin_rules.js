// 规则参数 (#/rules): every supervision and legal parameter with its dated schedule (a change takes
// effect from a date, earlier cases keep the old value), and adding a value from a date.
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { fmtDay, h, pick, put, shanghaiDay } from "../../shared/util.js";
import { call, holds } from "../session.js";
import { actionForm, failure, heading, section, table } from "../ui.js";

const UNITS = { hour: ["小时", "hours"], working_day: ["个工作日", "working days"], calendar_day: ["日", "days"], yuan: ["元", "yuan"] };
const CHOICES = { last_working_day: ["承诺期限前最后一个工作日", "the last working day before the limit"], ratio: ["按已用时限比例", "by the share of the limit used"] };

export async function render(view, ctx) {
  put(view, ...heading(L("规则参数", "Rule parameters"), L("监察规则与法制监督检查使用的时限和阈值。修改自指定日期起生效，之前的办件仍按原值判断。", "Limits and thresholds of the rules. A change applies from a date; earlier cases keep the old value.")));
  const r = await call("GET", "/admin/rules");
  if (!r.ok) {
    put(view, failure(r.error));
    return { title: L("规则参数", "Rule parameters") };
  }
  const cfg = r.data.config || {};
  const names = Object.keys(cfg).sort();
  // What each parameter means, in its unit (the API's ``params``; without them the bare names show).
  const specs = r.data.params || {};
  const shown = (n, value) => {
    const spec = specs[n] || {};
    const text = spec.kind === "choice" ? pick(CHOICES, String(value), String(value)) : String(value);
    return spec.unit && UNITS[spec.unit] ? `${text} ${L(UNITS[spec.unit][0], UNITS[spec.unit][1])}` : text;
  };
  put(view, table({ caption: L("参数及其生效日期", "Parameters and their dates"), rows: names, columns: [
    { label: L("参数", "Parameter"), render: (n) => [specs[n] && specs[n].description ? h("div", {}, specs[n].description) : null, h("code", { class: "small" }, n)] },
    { label: L("取值（自何日起）", "Values (from)"), render: (n) => h("ul", { class: "plain" }, (cfg[n] || []).map((e) => h("li", {}, `${shown(n, e.value)} ${e.effective_from ? L(`自 ${fmtDay(e.effective_from)}`, `from ${fmtDay(e.effective_from)}`) : L("（默认）", "(default)")}`))) },
    { label: L("是否已调整", "Overridden"), render: (n) => (r.data.overrides && r.data.overrides[n] !== undefined ? L("是", "yes") : "—") },
  ] }));
  if (holds("system_admin")) {
    put(view, section(L("自某日起调整参数", "Change a parameter from a date"), actionForm({
      id: "rules-form",
      fields: [field({ name: "name", label: L("参数", "Parameter"), options: names.map((n) => [n, specs[n] && specs[n].description ? `${n}：${specs[n].description}` : n]) }),
        h("div", { class: "row2" }, field({ name: "value", label: L("新值", "New value"), required: true }), field({ name: "effective_from", label: L("生效日期", "Effective from"), type: "date", value: shanghaiDay(), required: true }))],
      submitText: L("保存", "Save"),
      submit: (v) => {
        const overrides = { ...(r.data.overrides || {}) };
        const prev = overrides[v.name];
        const list = Array.isArray(prev) ? [...prev] : prev === undefined ? [] : [typeof prev === "object" && prev !== null && "value" in prev ? prev : { effective_from: null, value: prev }];
        const num = Number(v.value);
        list.push({ effective_from: v.effective_from, value: Number.isNaN(num) ? v.value : num });
        overrides[v.name] = list;
        return call("PUT", "/admin/rules", { body: overrides });
      },
      done: async () => { ctx.working(); ctx.rerender(); },
    })));
  }
  return { title: L("规则参数", "Rule parameters") };
}
