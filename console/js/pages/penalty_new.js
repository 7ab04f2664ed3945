// 处罚受案 (#/penalty-new): register a penalty case of the department (POST /penalty-cases); its
// procedure starts in Step Functions and the case opens at 立案.
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { h, put, route } from "../../shared/util.js";
import { call, user } from "../session.js";
import { actionForm, empty, failure, heading, toInstant } from "../ui.js";

export async function render(view, ctx) {
  const u = user();
  put(view, ...heading(L("处罚受案", "New penalty case"), L("登记案件来源后，系统按事项的固定流程启动：立案 → 调查 → 事先告知 → 听证 → 决定 → 送达 → 执行 → 结案。", "Register the case source; the item's fixed procedure starts: open, investigate, notify, hearing, decide, serve, enforce, close.")));
  const r = await call("GET", "/catalog/items", { query: { dept_code: u.dept_code, category: "CF", limit: 500 } });
  if (!r.ok) {
    put(view, failure(r.error));
    return { title: L("处罚受案", "New penalty case") };
  }
  if (!r.data.items.length) {
    put(view, empty(L("本部门没有在施行的行政处罚事项。", "The department has no penalty items in force.")));
    return { title: L("处罚受案", "New penalty case") };
  }
  const status = h("p", { role: "status", class: "muted" });
  put(view, actionForm({
    id: "penalty-new-form",
    fields: [
      field({ name: "item_code", label: L("处罚事项", "Penalty item"), required: true, options: r.data.items.map((i) => [i.code, `${i.name}（${i.display_code}）`]) }),
      field({ name: "received_at", label: L("受案时间", "Received at"), type: "datetime-local", hint: L("不填为现在", "Now when empty") }),
      field({ name: "source", label: L("案件来源", "Source"), placeholder: L("日常检查、投诉举报、上级交办…", "Inspection, report, referral…") }),
      field({ name: "summary", label: L("案情摘要", "Summary"), type: "textarea", rows: 4 }),
    ],
    submitText: L("受案并启动流程", "Register and start"),
    submit: (v) => call("POST", "/penalty-cases", { body: Object.fromEntries(Object.entries({ ...v, received_at: toInstant(v.received_at) }).filter(([, x]) => x)) }),
    done: async (data) => {
      ctx.working();
      status.textContent = L(`已受案，案件编号 ${data.case_no}，正在启动流程…`, `Registered as ${data.case_no}; starting…`);
      for (let i = 0; i < 40; i += 1) {
        const t = await call("GET", `/cases/${encodeURIComponent(data.case_no)}/tasks`);
        if (t.ok && t.data.items.some((x) => x.status === "pending")) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      window.location.hash = route("case", [data.case_no]);
    },
  }), status);
  return { title: L("处罚受案", "New penalty case") };
}
