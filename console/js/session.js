// The staff session (会话): tokens from /auth/login, the bearer on every call, one refresh when the
// access token has expired, and back to the sign-in page with a message when the session is over.
//
// Tokens live in sessionStorage (this tab only, gone when it closes). The access token lasts 15
// minutes, the session 12 hours or 30 idle minutes (docs/CONTRACT.md §8, README "Sessions").
import { api } from "../shared/data.js";
import { L } from "../shared/i18n.js";

const KEY = "sunlit.console.session";
const NOTICE_KEY = "sunlit.console.notice";
/** Refresh a little before the access token expires, so a slow request does not race it. */
const EARLY_MS = 30_000;

let state = read();
let refreshing = null;
const listeners = new Set();

function read() {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function write() {
  try {
    if (state) window.sessionStorage.setItem(KEY, JSON.stringify(state));
    else window.sessionStorage.removeItem(KEY);
  } catch {
    /* storage unavailable: the session lasts for this page only */
  }
  for (const fn of listeners) fn(state);
}

/** Call ``fn(user)`` whenever the signed-in user changes (null after sign-out). */
export function onChange(fn) {
  listeners.add(fn);
}

/** The signed-in user: {username, display_name, roles, duties, dept_code, region_code, …} or null. */
export function user() {
  return state ? state.user : null;
}

/** The current access token (for the few requests that cannot go through ``call``, e.g. downloads). */
export function accessToken() {
  return state ? state.access_token : null;
}

export function signedIn() {
  return !!(state && state.access_token);
}

/** What must be done before anything else: "password", "mfa" or null. */
export function pending() {
  if (!state) return null;
  if (state.user.must_change_password) return "password";
  if (state.user.mfa_enrolment_required) return "mfa";
  return null;
}

/** Keep a token pair answered by /auth/login, /auth/refresh, /auth/password or MFA confirmation. */
export function accept(answer) {
  const prev = state ? state.user : {};
  state = {
    access_token: answer.access_token,
    refresh_token: answer.refresh_token,
    expires_at: Date.now() + (Number(answer.expires_in) || 900) * 1000,
    user: {
      ...prev,
      username: answer.username ?? prev.username,
      display_name: answer.display_name ?? prev.display_name ?? null,
      roles: answer.roles ?? prev.roles ?? [],
      duties: answer.duties ?? prev.duties ?? [],
      dept_code: answer.dept_code ?? prev.dept_code ?? null,
      region_code: answer.region_code ?? prev.region_code ?? null,
      must_change_password: !!(answer.must_change_password ?? prev.must_change_password),
      mfa_enrolment_required: !!(answer.mfa_enrolment_required ?? prev.mfa_enrolment_required),
      mfa_enrolled: !!(answer.mfa_enrolled ?? prev.mfa_enrolled),
      session_expires_at: answer.session_expires_at ?? prev.session_expires_at ?? null,
    },
  };
  write();
}

/** Update what we know about the user (e.g. after enrolling a second factor). */
export function patchUser(fields) {
  if (!state) return;
  state.user = { ...state.user, ...fields };
  write();
}

/** Forget the session; ``notice`` is shown on the sign-in page. */
export function end(notice) {
  state = null;
  refreshing = null;
  if (notice) {
    try {
      window.sessionStorage.setItem(NOTICE_KEY, notice);
    } catch {
      /* ignore */
    }
  }
  write();
}

/** The message left for the sign-in page (read once). */
export function takeNotice() {
  try {
    const text = window.sessionStorage.getItem(NOTICE_KEY);
    window.sessionStorage.removeItem(NOTICE_KEY);
    return text;
  } catch {
    return null;
  }
}

async function refresh() {
  if (!state || !state.refresh_token) return false;
  if (!refreshing) {
    const token = state.refresh_token;
    refreshing = api("POST", "/auth/refresh", { body: { refresh_token: token } }).then((r) => {
      refreshing = null;
      if (r.ok && r.data && r.data.access_token) {
        accept(r.data);
        return true;
      }
      return false;
    });
  }
  return refreshing;
}

const EXPIRED = () => L("登录已过期，请重新登录。", "Your session has ended. Please sign in again.");

/**
 * Call the API as the signed-in user. Resolves like ``api`` ({ok, status, data, error}). An expired
 * access token is refreshed once; when the session is over the user goes back to sign-in with a
 * message, and a restriction (password change, MFA enrolment) sends them to that page.
 */
export async function call(method, path, opts = {}) {
  if (!state) {
    end(EXPIRED());
    return { ok: false, status: 401, data: null, error: { code: "UNAUTHORIZED", message: EXPIRED(), details: [] } };
  }
  if (Date.now() > state.expires_at - EARLY_MS) await refresh();
  const send = () => api(method, path, { ...opts, headers: { ...(opts.headers || {}), Authorization: `Bearer ${state ? state.access_token : ""}` } });
  let r = await send();
  if (r.status === 401 && state) {
    const renewed = await refresh();
    if (renewed) r = await send();
  }
  if (r.status === 401) {
    const message = r.error && r.error.code === "SESSION_EXPIRED" ? r.error.message : EXPIRED();
    end(message);
    window.location.hash = "#/login";
  } else if (r.status === 403 && r.error && r.error.code === "PASSWORD_CHANGE_REQUIRED") {
    patchUser({ must_change_password: true });
    window.location.hash = "#/password";
  } else if (r.status === 403 && r.error && r.error.code === "MFA_ENROLMENT_REQUIRED") {
    patchUser({ mfa_enrolment_required: true });
    window.location.hash = "#/mfa";
  }
  return r;
}

/** Sign out: end the session on the server, forget it here. */
export async function signOut() {
  if (state) await call("POST", "/auth/logout").catch(() => null);
  end(L("您已安全退出。", "You have signed out."));
}

/** Does the user hold any of these roles (``admin`` holds the system and security duties)? */
export function holds(...roles) {
  const u = user();
  if (!u) return false;
  const held = new Set(u.roles || []);
  if (held.has("admin")) {
    held.add("system_admin");
    held.add("security_admin");
  }
  return roles.some((r) => held.has(r));
}

/** Department-scoped (handler, head, department supervision): sees its own department only. */
export function deptScoped() {
  const u = user();
  return !!u && (u.roles || []).length > 0 && (u.roles || []).every((r) => ["handler", "dept_head", "dept_supervision"].includes(r));
}
