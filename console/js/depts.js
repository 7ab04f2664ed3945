// Department names for staff: the public directory (GET /departments, cached by the API) loaded once
// per visit, so pages show "徐州市市场监督管理局（011）" rather than a bare code. Without the directory
// (network error) the code alone is shown: names are a help, never a reason for a page to fail.
import { api } from "../shared/data.js";
import { L } from "../shared/i18n.js";

let names = new Map();
let loading = null;

/** Load the directory (once; a failed load is retried on the next page). */
export function loadDepartments() {
  if (!loading) {
    loading = api("GET", "/departments").then((r) => {
      if (r.ok && r.data && Array.isArray(r.data.items)) names = new Map(r.data.items.map((d) => [d.code, d.name]));
      else loading = null;
    });
  }
  return loading;
}

/** A department's name, or "" when the directory does not know the code. */
export function deptName(code) {
  return (code && names.get(code)) || "";
}

/** "name（code）" for a department code, the code alone when unknown, "—" for none. */
export function deptLabel(code) {
  if (!code) return "—";
  const name = names.get(code);
  return name ? L(`${name}（${code}）`, `${name} (${code})`) : String(code);
}
