// 工作日历 (#/calendar): which years the working-day calendar knows (official, the city's own, or
// only weekends — a warning), and publishing a year's holidays and make-up working days.
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { CALENDAR_SOURCES, h, pick, put } from "../../shared/util.js";
import { api } from "../../shared/data.js";
import { call } from "../session.js";
import { actionForm, heading, section, table, tag } from "../ui.js";

const days = (text) => String(text || "").split(/[\s,，、;；]+/).map((s) => s.trim()).filter(Boolean);

export async function render(view, ctx) {
  put(view, ...heading(L("工作日历", "Working calendar"), L("所有期限按工作日计算。某年度没有官方节假日安排时只能按周末推算，期限可能算错：请在国务院办公厅公布后及时录入。", "Every deadline counts working days. Without a year's official schedule only weekends are skipped: enter it once published.")));
  const y = new Date().getFullYear();
  const years = [y - 1, y, y + 1, y + 2];
  const rows = await Promise.all(years.map(async (year) => {
    const r = await api("GET", "/calendar/deadline", { query: { from: `${year}-06-01`, working_days: 1 } });
    return { year, source: r.ok ? r.data.source : "unavailable" };
  }));
  const missing = rows.filter((r) => r.year <= y + 1 && r.source === "weekends-only");
  if (missing.length) {
    put(view, h("p", { class: "notice warn", role: "alert", id: "calendar-warning" }, L(`${missing.map((r) => r.year).join("、")} 年尚无节假日安排，期限只按周末推算。`, `${missing.map((r) => r.year).join(", ")}: no schedule; only weekends are skipped.`)));
  }
  put(view, table({ caption: L("各年度日历来源", "Calendar source by year"), rows, columns: [
    { label: L("年度", "Year"), render: (r) => String(r.year) },
    { label: L("来源", "Source"), render: (r) => [pick(CALENDAR_SOURCES, r.source, r.source), " ", r.source === "weekends-only" ? tag(L("缺少节假日安排", "missing"), "red") : tag(L("可用", "ok"), "ok")] },
  ] }));
  put(view, section(L("录入年度节假日安排", "Publish a year's schedule"), actionForm({
    id: "calendar-form",
    fields: [field({ name: "year", label: L("年度", "Year"), type: "number", value: String(missing.length ? missing[0].year : y + 1), required: true }),
      field({ name: "holidays", label: L("放假日期（每行或用逗号分隔，YYYY-MM-DD）", "Holidays (YYYY-MM-DD)"), type: "textarea", rows: 5 }),
      field({ name: "workdays", label: L("调休上班日期", "Make-up working days"), type: "textarea", rows: 3 })],
    note: L("保存后替换该年度的全部安排，并重新计算受影响办件的期限。", "Saving replaces the year's schedule and recomputes affected deadlines."),
    submitText: L("保存", "Save"),
    submit: (v) => call("PUT", `/admin/calendar/${encodeURIComponent(v.year)}`, { body: { holidays: days(v.holidays), workdays: days(v.workdays) } }),
    done: async () => { ctx.working(); ctx.rerender(); },
  })));
  return { title: L("工作日历", "Working calendar") };
}
