// 用户管理 (#/users, #/users/{username}): accounts under the separated duties (三员分立). The system
// administrator creates and deactivates accounts; the security administrator sets roles, unlocks,
// resets the second factor or the password and ends sessions. Nobody sees a password or a secret.
import { L } from "../../shared/i18n.js";
import { choices, field } from "../../shared/forms.js";
import { fmtTime, h, pick, put, route, swap } from "../../shared/util.js";
import { call, holds, user } from "../session.js";
import { ROLES, SESSION_KINDS } from "../names.js";
import { actionForm, failure, heading, kv, listing, section, table, tag } from "../ui.js";
import { deptLabel } from "../depts.js";

const BUSINESS = ["handler", "dept_head", "dept_supervision", "supervisor", "legal"];
const ADMIN = ["system_admin", "security_admin", "audit_admin"];

function roleTags(u) {
  return (u.roles || []).map((r) => tag(pick(ROLES, r, r), ADMIN.includes(r) || r === "admin" ? "warn" : ""));
}

async function detail(view, ctx) {
  const name = ctx.args[0];
  put(view, h("p", { class: "small no-print" }, h("a", { href: "#/users" }, L("← 返回用户列表", "← Users"))));
  const r = await call("GET", `/admin/users/${encodeURIComponent(name)}`);
  if (!r.ok) {
    put(view, ...heading(name), failure(r.error));
    return;
  }
  const u = r.data;
  const self = u.username === user().username;
  put(view, ...heading(`${u.display_name || u.username}（${u.username}）`), h("p", {}, roleTags(u), " ",
    u.active ? tag(L("启用", "active"), "ok") : tag(L("已停用", "deactivated"), "red"), u.locked_until ? [" ", tag(L(`锁定至 ${fmtTime(u.locked_until)}`, `locked until ${fmtTime(u.locked_until)}`), "red")] : null));
  put(view, section(L("账户", "Account"), kv([
    [L("部门", "Department"), deptLabel(u.dept_code)], [L("行政区划", "Region"), u.region_code || null],
    [L("动态验证码", "Second factor"), u.mfa_enrolled ? L("已启用", "enrolled") : u.mfa_required ? L("未启用（该角色须启用）", "not enrolled (required)") : L("未启用", "not enrolled")],
    [L("须修改口令", "Must change password"), u.must_change_password ? L("是", "yes") : L("否", "no")],
    [L("创建", "Created"), fmtTime(u.created_at)], [L("上次登录", "Last sign-in"), u.last_login_at ? fmtTime(u.last_login_at) : "—"],
  ])));
  put(view, section(L("在线会话", "Live sessions"), (u.sessions || []).length ? table({ rows: u.sessions, columns: [
    { label: L("会话", "Session"), render: (s) => h("code", {}, s.session) }, { label: L("方式", "Kind"), render: (s) => pick(SESSION_KINDS, s.kind, s.kind || "—") },
    { label: L("开始", "Started"), render: (s) => fmtTime(s.created_at) }, { label: L("结束于", "Ends"), render: (s) => fmtTime(s.expires_at) },
  ] }) : h("p", { class: "muted", id: "no-sessions" }, L("没有在线会话。", "No live sessions."))));
  const out = h("div", { id: "user-result", role: "status" });
  put(view, out);
  const reload = async () => { ctx.working(); ctx.rerender(); };
  const post = (path, body) => call("POST", `/admin/users/${encodeURIComponent(name)}/${path}`, body ? { body } : {});
  const acts = [];
  if (!self && u.active && holds("system_admin", "security_admin")) acts.push(["deactivate", L("停用账户（立即结束其全部会话）", "Deactivate (ends every session)"), [], () => post("deactivate")]);
  if (!self && !u.active && holds("system_admin")) acts.push(["activate", L("重新启用", "Reactivate"), [], () => post("activate")]);
  if (holds("security_admin") && !self) {
    if (u.locked_until) acts.push(["unlock", L("解除锁定", "Unlock"), [], () => post("unlock")]);
    acts.push(["sessions", L("结束全部会话", "End every session"), [], () => post("sessions/revoke")]);
    if (u.mfa_enrolled) acts.push(["mfa", L("重置动态验证码（用户须重新绑定）", "Reset the second factor"), [], () => post("mfa/reset")]);
    acts.push(["password", L("重置口令（生成临时口令，用户登录后须修改）", "Reset the password"), [], () => post("password/reset", {})]);
    acts.push(["roles", L("设置角色", "Set roles"), [
      choices({ name: "roles", type: "checkbox", legend: L("角色", "Roles"), value: u.roles, choices: [...BUSINESS, ...ADMIN].map((x) => [x, pick(ROLES, x, x)]) }),
      h("div", { class: "row2" }, field({ name: "dept_code", label: L("部门代码", "Department"), value: u.dept_code || "" }), field({ name: "region_code", label: L("行政区划", "Region"), value: u.region_code || "" }))],
    (v) => call("PUT", `/admin/users/${encodeURIComponent(name)}/roles`, { body: { roles: v.roles, ...(v.dept_code ? { dept_code: v.dept_code } : {}), ...(v.region_code ? { region_code: v.region_code } : {}) } })]);
  }
  if (acts.length) {
    put(view, section(L("管理操作", "Actions"), acts.map(([key, label, fields, submit]) => h("details", { class: "act", "data-action": key }, h("summary", {}, label), actionForm({
      fields, submitText: label, submit,
      done: async (data) => {
        if (data && data.password) {
          swap(out, h("div", { class: "receipt" }, h("h3", {}, L("临时口令（只显示这一次）", "Temporary password (shown once)")), h("code", { class: "secret" }, data.password)));
          return;
        }
        await reload();
      },
    })))));
  }
}

async function list(view, ctx) {
  put(view, ...heading(L("用户管理", "Users"), L("三员分立：系统管理员管理账户，安全管理员管理角色和凭据，安全审计员只查看审计日志。管理员不能办理业务。", "Separated duties: the system administrator manages accounts, the security administrator roles and credentials, the audit administrator reads the trail. Administrators do no business.")));
  const { node } = await listing(ctx, {
    path: "/admin/users",
    filters: [{ name: "q", label: L("用户名或姓名", "Username or name") }, { name: "dept_code", label: L("部门代码", "Department"), inputmode: "numeric" },
      { name: "role", label: L("角色", "Role"), options: [...BUSINESS, "admin", ...ADMIN].map((x) => [x, pick(ROLES, x, x)]) }],
    emptyText: L("没有符合条件的用户。", "No users match."), caption: L("用户", "Users"),
    columns: [
      { label: L("用户", "User"), render: (u) => [h("a", { href: route("users", [u.username]) }, u.username), u.display_name ? h("div", { class: "small" }, u.display_name) : null] },
      { label: L("角色", "Roles"), render: (u) => roleTags(u) },
      { label: L("部门", "Department"), render: (u) => deptLabel(u.dept_code) },
      { label: L("状态", "Status"), render: (u) => [u.active ? tag(L("启用", "active"), "ok") : tag(L("已停用", "deactivated"), "red"), u.locked_until ? [" ", tag(L("已锁定", "locked"), "red")] : null, u.mfa_required && !u.mfa_enrolled ? [" ", tag(L("未绑定验证码", "no 2FA"), "warn")] : null] },
      { label: L("上次登录", "Last sign-in"), render: (u) => (u.last_login_at ? fmtTime(u.last_login_at) : "—") },
    ],
  });
  put(view, node);
  if (holds("system_admin")) {
    const out = h("div", { role: "status" });
    put(view, section(L("创建账户", "Create an account"), actionForm({
      id: "user-form",
      fields: [h("div", { class: "row2" }, field({ name: "username", label: L("用户名", "Username"), required: true, spellcheck: false }), field({ name: "display_name", label: L("姓名", "Name") })),
        choices({ name: "roles", type: "checkbox", legend: L("业务角色", "Business roles"), choices: BUSINESS.map((x) => [x, pick(ROLES, x, x)]) }),
        h("div", { class: "row2" }, field({ name: "dept_code", label: L("部门代码（部门角色必填）", "Department (department roles)"), inputmode: "numeric" }), field({ name: "region_code", label: L("行政区划（监察局、法制办可选）", "Region (optional)"), inputmode: "numeric" }))],
      note: L("初始口令由系统生成并只显示一次；用户首次登录须修改。管理员职责由安全管理员在账户创建后授予。", "The initial password is generated and shown once; administrator duties are granted by the security administrator."),
      submitText: L("创建", "Create"),
      submit: (v) => call("POST", "/admin/users", { body: Object.fromEntries(Object.entries(v).filter(([, x]) => (Array.isArray(x) ? true : x))) }),
      done: (data) => { swap(out, h("div", { class: "receipt" }, h("h3", {}, L(`已创建 ${data.username}`, `${data.username} created`)), data.password ? [h("p", {}, L("初始口令（只显示这一次）：", "Initial password (shown once): ")), h("code", { class: "secret" }, data.password)] : null)); },
    }), out));
  }
  return null;
}

export async function render(view, ctx) {
  if (ctx.args[0]) await detail(view, ctx);
  else await list(view, ctx);
  return { title: L("用户管理", "Users") };
}
