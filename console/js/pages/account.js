// 账户与安全: the forced password change (#/password), second-factor enrolment with the QR code
// (#/mfa), and the account page (#/account): who I am, my session, password, authenticator,
// recovery codes, signing out everywhere.
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { fmtTime, h, pick, put, swap } from "../../shared/util.js";
import * as session from "../session.js";
import { ROLES } from "../names.js";
import { actionForm, failure, heading, kv, section } from "../ui.js";
import { deptLabel } from "../depts.js";

function passwordForm(forced) {
  return actionForm({
    id: "password-form",
    fields: [
      field({ name: "current_password", label: forced ? L("当前（初始）口令", "Current (initial) password") : L("当前口令", "Current password"), type: "password", required: true, autocomplete: "current-password" }),
      field({ name: "new_password", label: L("新口令", "New password"), type: "password", required: true, autocomplete: "new-password",
        hint: L("至少 10 位，含大写字母、小写字母、数字、符号中的三类；不得包含用户名，不得与最近 5 次相同。", "At least 10 characters of three kinds (upper case, lower case, digits, symbols); not containing the username; not one of the last five.") }),
      field({ name: "confirm", label: L("再次输入新口令", "New password again"), type: "password", required: true, autocomplete: "new-password" }),
    ],
    submitText: L("修改口令", "Change password"),
    submit: async (v) => {
      if (v.new_password !== v.confirm) {
        return { ok: false, error: { message: L("两次输入的新口令不一致", "The new passwords differ"), details: [{ field: "confirm", message: L("两次输入的新口令不一致", "The new passwords differ") }] } };
      }
      return session.call("POST", "/auth/password", { body: { current_password: v.current_password, new_password: v.new_password } });
    },
    done: (data) => {
      session.accept(data);
      session.patchUser({ must_change_password: false });
      const must = session.pending();
      window.location.hash = must ? `#/${must}` : forced ? "#/" : "#/account?changed=1";
    },
  });
}

/** The enrolment: start (secret + QR), confirm with a code, show the recovery codes once. */
function mfaEnrolment(container, forced) {
  const start = h("button", { type: "button", class: "btn", id: "mfa-start" }, L("开始绑定身份验证器", "Set up an authenticator app"));
  const area = h("div", { class: "mfa" });
  start.addEventListener("click", async () => {
    start.disabled = true;
    const r = await session.call("POST", "/auth/mfa/totp");
    start.disabled = false;
    if (!r.ok) {
      swap(area, failure(r.error, L("无法开始绑定", "Could not start")));
      return;
    }
    const d = r.data;
    const qr = h("img", { class: "qr", width: 200, height: 200, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(d.qr_svg)}`,
      alt: L(`身份验证器二维码：账户 ${d.account}，签发方 ${d.issuer}。无法扫码时请手动输入下方密钥。`, `QR code for ${d.account} at ${d.issuer}. If you cannot scan it, type the key below.`) });
    const confirm = actionForm({
      id: "mfa-confirm-form",
      fields: [field({ name: "otp", label: L("App 显示的 6 位验证码", "The 6-digit code the app shows"), required: true, inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6 })],
      submitText: L("确认绑定", "Confirm"),
      submit: (v) => session.call("POST", "/auth/mfa/totp/confirm", { body: { otp: v.otp } }),
      done: (data) => {
        session.accept(data);
        session.patchUser({ mfa_enrolment_required: false, mfa_enrolled: true });
        swap(area, recoveryCodes(data.recovery_codes),
          h("p", {}, h("a", { class: "btn", href: "#/" }, L("我已妥善保存，进入工作台", "I have saved them — continue"))));
        area.querySelector("h3").focus();
      },
    });
    swap(area,
      h("ol", { class: "steps" },
        h("li", {}, L("在手机上打开身份验证器 App（如“腾讯身份验证器”、Google Authenticator、Microsoft Authenticator），扫描二维码：", "Open an authenticator app on your phone and scan the QR code:"), h("div", { class: "qr-box" }, qr)),
        h("li", {}, L("无法扫码时，手动输入密钥：", "Or type this key:"), " ", h("code", { class: "secret", id: "mfa-secret" }, d.secret),
          h("span", { class: "muted small" }, L(`（${d.digits} 位，每 ${d.period} 秒更新；请在 ${fmtTime(d.expires_at)} 前完成）`, ` (${d.digits} digits, every ${d.period} s; finish before ${fmtTime(d.expires_at)})`))),
        h("li", {}, L("输入 App 显示的验证码完成绑定：", "Enter the code the app shows:"), confirm)));
    confirm.querySelector("input").focus();
  });
  put(container,
    forced ? h("p", { class: "notice warn" }, L("您的角色须启用动态验证码（双因素认证）后才能使用工作台。", "Your role must use two-step verification before using the console.")) : null,
    h("div", { class: "actions" }, start), area);
}

function recoveryCodes(codes) {
  return h("div", { class: "receipt", id: "recovery-codes" },
    h("h3", { tabindex: "-1" }, L("恢复码（只显示这一次）", "Recovery codes (shown once)")),
    h("p", {}, L("手机丢失时，每个恢复码可代替动态验证码登录一次。请抄写或打印后妥善保管，不要截图发送。", "Each code signs you in once if you lose your phone. Write them down or print them; do not share them.")),
    h("ul", { class: "codes" }, codes.map((c) => h("li", {}, h("code", {}, c)))));
}

export async function render(view, ctx) {
  const page = ctx.page;
  if (page === "password") {
    put(view, ...heading(L("修改初始口令", "Change your initial password"),
      L("首次登录或口令被重置后，须先修改口令才能继续使用。", "After the first sign-in or a reset, change your password before anything else.")), passwordForm(true));
    return { title: L("修改口令", "Change password") };
  }
  if (page === "mfa") {
    put(view, ...heading(L("绑定动态验证码", "Set up two-step verification")));
    mfaEnrolment(view, true);
    return { title: L("绑定动态验证码", "Two-step verification") };
  }
  put(view, ...heading(L("账户与安全", "Account and security")));
  if (ctx.params.get("changed")) put(view, h("p", { class: "notice", role: "status" }, L("口令已修改，其他设备上的会话已结束。", "Password changed; your other sessions have ended.")));
  const r = await session.call("GET", "/auth/me");
  if (!r.ok) {
    put(view, failure(r.error));
    return { title: L("账户与安全", "Account") };
  }
  const me = r.data;
  put(view, section(L("我的账户", "My account"), kv([
    [L("用户名", "Username"), me.username],
    [L("姓名", "Name"), me.display_name || "—"],
    [L("角色", "Roles"), (me.roles || []).map((x) => pick(ROLES, x, x)).join("、") || "—"],
    [L("所属部门", "Department"), me.dept_code ? deptLabel(me.dept_code) : null],
    [L("行政区划", "Region"), me.region_code || null],
    [L("上次登录", "Last sign-in"), me.last_login_at ? fmtTime(me.last_login_at) : "—"],
    [L("本次会话", "This session"), me.session ? L(`${fmtTime(me.session.created_at)} 开始，闲置 30 分钟或至 ${fmtTime(me.session.expires_at)} 结束`, `since ${fmtTime(me.session.created_at)}; ends after 30 idle minutes or at ${fmtTime(me.session.expires_at)}`) : "—"],
  ])));
  put(view, section(L("修改口令", "Change password"), passwordForm(false)));
  const mfa = h("div", {});
  if (me.mfa && me.mfa.enrolled) {
    put(mfa, h("p", {}, L(`已启用动态验证码。剩余恢复码 ${me.mfa.recovery_codes_left} 个。`, `Two-step verification is on. ${me.mfa.recovery_codes_left} recovery codes left.`)));
    const out = h("div", {});
    put(mfa, actionForm({
      id: "recovery-form",
      fields: [field({ name: "otp", label: L("动态验证码", "Authentication code"), required: true, inputmode: "numeric", maxlength: 6, autocomplete: "one-time-code" })],
      submitText: L("重新生成恢复码", "New recovery codes"),
      note: L("旧的恢复码将全部失效。", "The old codes stop working."),
      submit: (v) => session.call("POST", "/auth/mfa/recovery-codes", { body: { otp: v.otp } }),
      done: (data) => swap(out, recoveryCodes(data.recovery_codes)),
    }), out);
  } else {
    mfaEnrolment(mfa, false);
  }
  put(view, section(L("动态验证码（双因素认证）", "Two-step verification"), mfa));
  const everywhere = h("button", { type: "button", class: "btn btn-secondary", id: "logout-everywhere" }, L("退出所有设备", "Sign out everywhere"));
  everywhere.addEventListener("click", async () => {
    await session.call("POST", "/auth/logout", { body: { everywhere: true } });
    session.end(L("已退出所有设备上的会话。", "You have signed out everywhere."));
    window.location.hash = "#/login";
  });
  put(view, section(L("会话", "Sessions"), h("p", {}, L("怀疑账户被他人使用时，可结束您在所有设备上的会话。", "If you suspect someone else uses your account, end all your sessions.")), everywhere));
  return { title: L("账户与安全", "Account") };
}
