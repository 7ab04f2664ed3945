// 审计日志 (#/audit?month=2026-12): the month's hash-chained trail, newest first, filtered by actor
// or action, and verifying the chain (the first broken link is named).
import { L } from "../../shared/i18n.js";
import { fmtTime, h, pick, put, swap } from "../../shared/util.js";
import { call } from "../session.js";
import { ROLES } from "../names.js";
import { failure, heading, listing } from "../ui.js";

export async function render(view, ctx) {
  const now = new Date();
  const month = ctx.params.get("month") || `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  put(view, ...heading(L("审计日志", "Audit trail"), L("每一次登录、失败、锁定、退出、口令与验证码变更、密钥轮换、写操作和对个人信息的查看，按月串成哈希链，任何篡改都能被发现。", "Every sign-in, failure, lockout, credential change, key rotation, write and personal-data read, hash-chained per month.")));
  const out = h("div", { role: "status", id: "verify-result" });
  const btn = h("button", { type: "button", class: "btn btn-secondary", id: "verify" }, L(`校验 ${month} 的哈希链`, `Verify ${month}`));
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    const r = await call("GET", "/admin/audit/verify", { query: { month } });
    btn.disabled = false;
    swap(out, r.ok ? h("p", { class: r.data.ok ? "notice" : "notice error" }, r.data.ok ? L(`校验通过：${r.data.length} 条记录完整、未被篡改。`, `Intact: ${r.data.length} entries.`)
      : L(`校验失败：第 ${r.data.first_broken_seq} 条起链条断裂（${r.data.reason}）。`, `Broken from entry ${r.data.first_broken_seq} (${r.data.reason}).`)) : failure(r.error));
  });
  put(view, h("div", { class: "actions" }, btn), out);
  const { node } = await listing({ ...ctx, params: new URLSearchParams({ month, ...Object.fromEntries(ctx.params) }) }, {
    path: "/admin/audit", limit: 100,
    filters: [{ name: "month", label: L("月份", "Month"), type: "month" }, { name: "actor", label: L("操作人", "Actor") }, { name: "action", label: L("操作（前缀）", "Action (prefix)"), placeholder: "auth." }],
    emptyText: L("本月没有记录。", "No entries this month."), caption: L("审计记录", "Audit entries"),
    columns: [
      { label: L("序号", "Seq"), cls: "num", render: (e) => String(e.seq) },
      { label: L("时间", "When"), render: (e) => fmtTime(e.at) },
      { label: L("操作人", "Actor"), render: (e) => [e.actor || "—", e.roles && e.roles.length ? h("div", { class: "small muted" }, e.roles.map((r) => pick(ROLES, r, r)).join("、")) : null] },
      { label: L("操作", "Action"), render: (e) => h("code", {}, e.action) },
      { label: L("对象", "Target"), render: (e) => (e.target ? JSON.stringify(e.target).slice(0, 120) : "—") },
      { label: L("结果", "Status"), cls: "num", render: (e) => String(e.status ?? "—") },
      { label: L("来源（散列）", "Source (hashed)"), render: (e) => h("code", { class: "small" }, (e.ip_hash || "—").slice(0, 12)) },
    ],
  });
  put(view, node);
  return { title: L("审计日志", "Audit trail") };
}
