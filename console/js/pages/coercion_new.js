// 行政强制立案 (#/coercion-new): register a coercion case of the department (POST /coercion-cases); the
// 行政强制法's process starts in Step Functions on the route the item's QZ fields give it —
// 强制措施 (报告批准 → 实施 → 决定书送达 → 期限内解除/处理) or 强制执行 (催告 → 陈述申辩 → 强制执行决定 → 执行).
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { h, put, route } from "../../shared/util.js";
import { call, user } from "../session.js";
import { actionForm, empty, failure, heading, toInstant } from "../ui.js";

const TITLE = () => L("行政强制立案", "New coercion case");

export async function render(view, ctx) {
  const u = user();
  put(view, ...heading(TITLE(), L("登记当事人和事由后，系统按《行政强制法》的固定程序启动：强制措施为 报告批准 → 实施 → 决定书送达 → 期限内解除或处理；强制执行为 催告 → 陈述申辩 → 强制执行决定 → 执行。", "Register the party and the cause; the Administrative Coercion Law's fixed process starts: for a measure approval, carrying out, service, release; for enforcement demand, statement, decision, execution.")));
  const r = await call("GET", "/catalog/items", { query: { dept_code: u.dept_code, category: "QZ", limit: 500 } });
  if (!r.ok) {
    put(view, failure(r.error));
    return { title: TITLE() };
  }
  if (!r.data.items.length) {
    put(view, empty(L("本部门没有在施行的行政强制事项。", "The department has no coercion items in force.")));
    return { title: TITLE() };
  }
  const status = h("p", { role: "status", class: "muted" });
  put(view, actionForm({
    id: "coercion-new-form",
    fields: [
      field({ name: "item_code", label: L("行政强制事项", "Coercion item"), required: true, options: r.data.items.map((i) => [i.code, `${i.name}（${i.display_code}）`]) }),
      field({ name: "party.type", field: "party.type", label: L("当事人类型", "Party type"), options: [["org", L("单位", "Organisation")], ["person", L("个人", "Person")]] }),
      field({ name: "party.name", field: "party.name", label: L("当事人名称/姓名", "Party"), required: true }),
      field({ name: "party.id_no", field: "party.id_no", label: L("证件号码", "ID number") }),
      field({ name: "cause", label: L("事由", "Cause"), type: "textarea", rows: 3, required: true }),
      field({ name: "decision_no", label: L("据以执行的行政决定文号（强制执行）", "Decision being enforced (enforcement)") }),
      field({ name: "received_at", label: L("立案时间", "Opened at"), type: "datetime-local", hint: L("不填为现在", "Now when empty") }),
    ],
    submitText: L("立案并启动流程", "Register and start"),
    submit: (v) => {
      const party = Object.fromEntries(Object.entries({ type: v["party.type"], name: v["party.name"], id_no: v["party.id_no"] }).filter(([, x]) => x));
      const body = { item_code: v.item_code, party, cause: v.cause, decision_no: v.decision_no, received_at: toInstant(v.received_at) };
      return call("POST", "/coercion-cases", { body: Object.fromEntries(Object.entries(body).filter(([, x]) => x)) });
    },
    done: async (data) => {
      ctx.working();
      status.textContent = L(`已立案（${data.route_name}），案件编号 ${data.case_no}，正在启动流程…`, `Registered as ${data.case_no}; starting…`);
      for (let i = 0; i < 40; i += 1) {
        const t = await call("GET", `/cases/${encodeURIComponent(data.case_no)}/tasks`);
        if (t.ok && t.data.items.some((x) => x.status === "pending")) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      window.location.hash = route("case", [data.case_no]);
    },
  }), status);
  return { title: TITLE() };
}
