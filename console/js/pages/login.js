// 登录: username and password, then the 6-digit code (or a recovery code) once a second factor is enrolled.
import { L } from "../../shared/i18n.js";
import { api } from "../../shared/data.js";
import { busy, clearErrors, field, showErrors, val } from "../../shared/forms.js";
import { h, put, swap } from "../../shared/util.js";
import * as session from "../session.js";

export async function render(view, ctx) {
  const notice = session.takeNotice();
  const box = h("div", { class: "signin" });
  put(view, box);
  let creds = null; // kept between the two steps, never stored

  function step1() {
    const form = h("form", { id: "login-form", novalidate: true },
      field({ name: "username", label: L("用户名", "Username"), required: true, autocomplete: "username", spellcheck: false }),
      field({ name: "password", label: L("口令", "Password"), type: "password", required: true, autocomplete: "current-password" }),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("登录", "Sign in"))));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const username = val(form, "username");
      const password = form.elements.namedItem("password").value;
      const missing = [];
      if (!username) missing.push({ field: "username", message: L("请填写用户名", "Enter your username") });
      if (!password) missing.push({ field: "password", message: L("请填写口令", "Enter your password") });
      if (missing.length) return showErrors(form, missing, L("请填写用户名和口令", "Enter your username and password"));
      creds = { username, password };
      send(form, {});
    });
    swap(box,
      h("h1", { tabindex: "-1" }, L("工作人员登录", "Staff sign-in")),
      h("p", { class: "lead" }, L("办理人、部门负责人、部门监察、监察局、法制办和管理员使用本系统账户登录。", "Handlers, department heads, department supervision, the supervision bureau, the legal office and administrators sign in with their Sunlit account.")),
      notice ? h("p", { class: "notice", role: "status", id: "login-notice" }, notice) : null,
      form,
      h("p", { class: "muted small" }, L("连续 5 次输错将锁定账户 15 分钟。忘记口令请联系安全管理员重置。", "Five wrong attempts in a row lock the account for 15 minutes. Forgot your password? Ask the security administrator to reset it.")));
    form.elements.namedItem("username").focus();
  }

  function step2(message) {
    const useRecovery = h("input", { type: "checkbox", id: "use-recovery" });
    const otp = field({ name: "otp", label: L("动态验证码", "Authentication code"), hint: L("身份验证器 App 中显示的 6 位数字", "The 6 digits your authenticator app shows"), required: true, inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6 });
    const recovery = field({ name: "recovery_code", label: L("恢复码", "Recovery code"), hint: L("手机丢失时使用一个未用过的恢复码", "If you lost your phone, use an unused recovery code"), autocomplete: "off" });
    recovery.hidden = true;
    useRecovery.addEventListener("change", () => {
      recovery.hidden = !useRecovery.checked;
      otp.hidden = useRecovery.checked;
      (useRecovery.checked ? recovery : otp).querySelector("input").focus();
    });
    const form = h("form", { id: "otp-form", novalidate: true }, otp, recovery,
      h("div", { class: "choice" }, useRecovery, h("label", { for: "use-recovery" }, L("改用恢复码", "Use a recovery code instead"))),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("验证并登录", "Verify and sign in")),
        h("button", { type: "button", class: "btn btn-secondary", onclick: () => { creds = null; step1(); } }, L("返回", "Back"))));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const extra = useRecovery.checked ? { recovery_code: val(form, "recovery_code") } : { otp: val(form, "otp") };
      const value = extra.otp ?? extra.recovery_code;
      if (!value) return showErrors(form, [{ field: useRecovery.checked ? "recovery_code" : "otp", message: L("请输入验证码", "Enter the code") }]);
      send(form, extra);
    });
    swap(box, h("h1", { tabindex: "-1" }, L("动态验证码", "Two-step verification")),
      h("p", { class: "lead" }, message || L("请输入身份验证器 App 中的 6 位动态验证码。", "Enter the 6-digit code from your authenticator app.")), form);
    form.elements.namedItem("otp").focus();
  }

  async function send(form, extra) {
    clearErrors(form);
    busy(form, true);
    const r = await api("POST", "/auth/login", { body: { ...creds, ...extra } });
    busy(form, false);
    if (r.ok) {
      creds = null;
      session.accept(r.data);
      ctx.announce(L("登录成功", "Signed in"));
      const must = session.pending();
      window.location.hash = must ? `#/${must}` : "#/";
      return;
    }
    if (r.error.code === "OTP_REQUIRED" && !form.matches("#otp-form")) {
      step2();
      return;
    }
    const details = r.error.details && r.error.details.length ? r.error.details
      : [{ field: form.matches("#otp-form") ? "otp" : "password", message: r.error.message }];
    showErrors(form, details, r.error.message);
    if (r.status === 401 && !form.matches("#otp-form")) form.elements.namedItem("password").value = "";
  }

  step1();
  return { title: L("登录", "Sign in") };
}
