// 死信队列 (#/dlq): stream batches parked after their retries ran out, and replaying them (a batch
// leaves the queue only once its consumer succeeds).
import { L } from "../../shared/i18n.js";
import { h, put, swap } from "../../shared/util.js";
import { call } from "../session.js";
import { empty, failure, heading, table } from "../ui.js";

export async function render(view, ctx) {
  put(view, ...heading(L("死信队列", "Dead-letter queue"), L("数据流处理多次重试仍失败的批次停放在这里，修复原因后重新投递；不会丢失任何已接收的事件。", "Stream batches that failed every retry wait here; replay them once the cause is fixed. No accepted event is lost.")));
  const r = await call("GET", "/admin/dlq", { query: { limit: 100 } });
  if (!r.ok) {
    put(view, failure(r.error));
    return { title: L("死信队列", "Dead-letter queue") };
  }
  if (!r.data.items.length) put(view, empty(L("死信队列为空。", "The queue is empty.")));
  else {
    put(view, table({ caption: L("停放的批次", "Parked batches"), rows: r.data.items, columns: Object.keys(r.data.items[0]).slice(0, 6).map((k) => ({ label: k, render: (x) => (typeof x[k] === "object" ? JSON.stringify(x[k]).slice(0, 200) : String(x[k] ?? "—")) })) }));
  }
  const out = h("p", { role: "status", class: "muted" });
  const btn = h("button", { type: "button", class: "btn", id: "dlq-replay", disabled: !r.data.items.length }, L("重新投递", "Replay"));
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    const res = await call("POST", "/admin/dlq/replay", { body: { max_messages: 50 } });
    swap(out, res.ok ? L(`重新投递完成：${JSON.stringify(res.data)}`, `Replayed: ${JSON.stringify(res.data)}`) : res.error.message);
    setTimeout(() => { ctx.working(); ctx.rerender(); }, 800);
  });
  put(view, h("div", { class: "actions" }, btn), out);
  return { title: L("死信队列", "Dead-letter queue") };
}
