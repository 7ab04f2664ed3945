// Runtime settings, the published catalog (static JSON in the hall bucket) and the API client
// (shared by the hall and the staff console).
import { L } from "./i18n.js";

const DEFAULTS = { api: "http://127.0.0.1:8000", catalog: "catalog/" };

export const config = Object.assign({}, DEFAULTS, window.SUNLIT_CONFIG || {});

function catalogUrl(path) {
  const base = String(config.catalog || "catalog/").replace(/\/?$/, "/");
  return new URL(base + path, document.baseURI).href;
}

let indexPromise = null;
const itemCache = new Map();

/** The catalog index (departments, categories, items with search text). Cached for the visit. */
export function loadIndex() {
  if (!indexPromise) {
    indexPromise = fetch(catalogUrl("index.json"), { headers: { Accept: "application/json" } })
      .then((r) => {
        if (!r.ok) throw new Error(`catalog index: HTTP ${r.status}`);
        return r.json();
      })
      .catch((err) => {
        indexPromise = null;
        throw err;
      });
  }
  return indexPromise;
}

/** One item's published guide, or null when the catalog has no such item. */
export async function loadItem(code) {
  if (itemCache.has(code)) return itemCache.get(code);
  const index = await loadIndex().catch(() => null);
  if (index && !index.items.some((it) => it.code === code)) return null;
  const r = await fetch(catalogUrl(`items/${encodeURIComponent(code)}.json`), { headers: { Accept: "application/json" } });
  if (r.status === 404 || r.status === 403) return null;
  if (!r.ok) throw new Error(`catalog item: HTTP ${r.status}`);
  const doc = await r.json();
  itemCache.set(code, doc);
  return doc;
}

/** Department code → name, from the catalog index (empty map when the index is unavailable). */
export async function departmentNames() {
  try {
    const index = await loadIndex();
    return new Map(index.departments.map((d) => [d.code, d.name]));
  } catch {
    return new Map();
  }
}

/**
 * Call the API (public routes; the console adds its bearer token in ``headers``). Never throws: resolves to {ok, status, data, error} where error is the
 * contract's {code, message, details:[{field, message}]} (or a local one for network failures).
 */
export async function api(method, path, { query, body, headers } = {}) {
  const url = new URL(String(config.api).replace(/\/+$/, "") + path);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  const init = { method, headers: { Accept: "application/json", ...(headers || {}) } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url.href, init);
  } catch {
    return {
      ok: false, status: 0, data: null,
      error: { code: "NETWORK", message: L("无法连接服务，请检查网络后重试。", "The service cannot be reached. Please check your connection and try again."), details: [] },
    };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, status: response.status, data, error: null };
  const error = (data && data.error) || {};
  return {
    ok: false, status: response.status, data,
    error: {
      code: error.code || `HTTP_${response.status}`,
      message: error.message || L(`服务暂时不可用（${response.status}），请稍后再试。`, `The service is unavailable (${response.status}). Please try again later.`),
      details: Array.isArray(error.details) ? error.details : [],
    },
  };
}

const disclosureCache = new Map();

/**
 * 政府信息公开 directories as published in the hall bucket (`disclosure/index.json`,
 * `disclosure/{dept}.json`); when the bucket has none yet, the same document from the API.
 */
export async function loadDisclosure(name) {
  if (disclosureCache.has(name)) return disclosureCache.get(name);
  const base = String(config.disclosure || "disclosure/").replace(/\/?$/, "/");
  let doc = null;
  try {
    const r = await fetch(new URL(`${base}${name}.json`, document.baseURI).href, { headers: { Accept: "application/json" } });
    if (r.ok) doc = await r.json();
  } catch {
    doc = null;
  }
  if (!doc) {
    const path = name === "index" ? "/disclosure/departments" : `/disclosure/departments/${encodeURIComponent(name)}`;
    const res = await api("GET", path);
    if (!res.ok) return null;
    doc = res.data;
  }
  disclosureCache.set(name, doc);
  return doc;
}

/**
 * Upload one file straight to the private bucket: a ticket from the API (`POST /attachments`),
 * then the browser's form POST that the ticket's policy admits. Resolves to {ok, id, error}.
 */
export async function uploadFile(file, purpose, contentType) {
  const ticket = await api("POST", "/attachments", {
    body: { purpose, filename: file.name, content_type: contentType, size: file.size },
  });
  if (!ticket.ok) return { ok: false, error: ticket.error };
  const form = new FormData();
  for (const [k, v] of Object.entries(ticket.data.upload.fields)) form.append(k, v);
  form.append("file", file);
  let response;
  try {
    response = await fetch(ticket.data.upload.url, { method: "POST", body: form });
  } catch {
    return { ok: false, error: { message: L("上传失败，请检查网络后重试。", "The upload failed. Please check your connection."), details: [] } };
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    const tooLarge = /EntityTooLarge/.test(text);
    return {
      ok: false,
      error: {
        message: tooLarge ? L("文件超过允许的大小。", "The file is larger than allowed.")
          : L(`存储服务拒绝了该文件（${response.status}）。`, `The store refused the file (${response.status}).`),
        details: [],
      },
    };
  }
  return { ok: true, id: ticket.data.attachment_id };
}
