// Runtime settings, the published catalog (static JSON in the hall bucket) and the API client
// (shared by the hall and the staff console).
import { L } from "./i18n.js";

const DEFAULTS = { api: "http://127.0.0.1:8000", catalog: "catalog/" };

export const config = Object.assign({}, DEFAULTS, window.SUNLIT_CONFIG || {});

function catalogUrl(path) {
  const base = String(config.catalog || "catalog/").replace(/\/?$/, "/");
  return new URL(base + path, document.baseURI).href;
}

let manifestPromise = null;
let catalogPromise = null;
let indexPromise = null;
const itemCache = new Map();

async function fetchJson(path, what) {
  const r = await fetch(catalogUrl(path), { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(`${what}: HTTP ${r.status}`);
  return r.json();
}

/** Remember a promise for the visit, but forget it when it fails (so a retry can succeed). */
function once(get, set, make) {
  if (!get()) set(make().catch((err) => { set(null); throw err; }));
  return get();
}

/**
 * The catalog manifest (a few KB): departments and categories with their item counts, the home
 * page's featured items, the item count, and where each department's shard is.
 */
export function loadManifest() {
  return once(() => manifestPromise, (p) => { manifestPromise = p; }, () => fetchJson("manifest.json", "catalog manifest"));
}

// Chinese characters as the platform's search knows them (chalicelib/domain/search.py).
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const UNITS = { w: "working_day", c: "calendar_day" };

function norm(text) {
  return String(text || "").normalize("NFKC").toLowerCase();
}

/** [initials, full pinyin] of the Chinese characters of a text, from the published reading table. */
function derivePinyin(text, readings) {
  let letters = "";
  let spelled = "";
  for (const ch of norm(text)) {
    const reading = CJK.test(ch) ? readings.get(ch) : undefined;
    if (reading) {
      letters += reading[0];
      spelled += reading;
    }
  }
  return [letters, spelled];
}

function displayCode(c) {
  return `${c.slice(0, 6)}-${c.slice(6, 9)}-${c.slice(9, 11)}-${c.slice(11, 14)}-${c.slice(14, 16)}`;
}

// item → what its search text is made of: the parts that need no reading table, and each text whose
// pinyin forms it adds (with the shard's own forms where the platform chose a reading).
const searchParts = new WeakMap();

/** An item's search text; without the reading table (null), the pinyin derived from it is left out. */
function searchText(item, readings) {
  const [base, texts] = searchParts.get(item);
  const parts = [...base];
  for (const [text, given] of texts) {
    const forms = given || (readings ? derivePinyin(text, readings) : [""]);
    if (forms[0]) parts.push(...forms);
  }
  return [...new Set(parts.filter(Boolean))].join(" ");
}

/**
 * A shard's compact rows as index items, with the same search text the platform computes
 * (name, keywords, code plain and dashed, pinyin initials and full pinyin of name and keywords) once
 * the reading table is there (``withPinyin``). The reference of this format is expand_shard in
 * chalicelib/catalog/domain/publication.py.
 */
function expandShard(shard, categoryNames) {
  return shard.items.map((row) => {
    const code = shard.prefix + row[0];
    const [name, keywords, promised, statutory, fee] = [row[1], row[2] || [], row[3], row[4], row[5]];
    const overrides = row[6] || {};
    const dashed = displayCode(code);
    const base = [norm(name), ...keywords.filter((k) => k && k.trim()).map(norm), code.toLowerCase(), dashed.toLowerCase()];
    const category = code.slice(9, 11);
    const item = {
      code, display_code: dashed, name, category, category_name: categoryNames.get(category) || category,
      dept_code: shard.dept_code, dept_name: shard.dept_name,
      promised_limit: { value: promised[0], unit: UNITS[promised[1]] },
      statutory_limit: { value: statutory[0], unit: UNITS[statutory[1]] },
      fee_charged: Boolean(fee), keywords,
    };
    searchParts.set(item, [base, [name, ...keywords].map((text, i) => [text, overrides[String(i)]])]);
    item.search = searchText(item, null);
    return item;
  });
}

/**
 * The whole catalog (departments, categories, every item) from the manifest and every department's
 * shard, fetched in parallel, without the pinyin reading table: items' search text lacks the pinyin
 * derived from it until ``loadIndex`` (the catalog page asks for it when the search box is first
 * used). Cached for the visit.
 */
export function loadCatalog() {
  return once(() => catalogPromise, (p) => { catalogPromise = p; }, async () => {
    const manifest = await loadManifest();
    const shards = await Promise.all(manifest.shards.map((s) => fetchJson(s.path, "catalog shard")));
    const categoryNames = new Map(manifest.categories.map((c) => [c.code, c.name]));
    const items = shards.flatMap((shard) => expandShard(shard, categoryNames));
    items.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return { ...manifest, items };
  });
}

/**
 * The whole catalog with every item's full search text, pinyin included (the platform's own search
 * text): ``loadCatalog``'s index, the same objects, completed once the reading table (~10 KB) is here.
 */
export function loadIndex() {
  return once(() => indexPromise, (p) => { indexPromise = p; }, async () => {
    const manifest = await loadManifest();
    const [index, table] = await Promise.all([loadCatalog(), fetchJson(manifest.pinyin, "pinyin table")]);
    const readings = new Map();
    for (const [reading, chars] of Object.entries(table)) for (const ch of chars) readings.set(ch, reading);
    for (const item of index.items) item.search = searchText(item, readings);
    return index;
  });
}

/** One item's published guide, or null when the catalog has no such item. */
export async function loadItem(code) {
  if (itemCache.has(code)) return itemCache.get(code);
  const manifest = await loadManifest().catch(() => null);
  if (manifest && !manifest.shards.some((s) => String(code).startsWith(s.prefix))) return null;
  const r = await fetch(catalogUrl(`items/${encodeURIComponent(code)}.json`), { headers: { Accept: "application/json" } });
  if (r.status === 404 || r.status === 403) return null;
  if (!r.ok) throw new Error(`catalog item: HTTP ${r.status}`);
  const doc = await r.json();
  itemCache.set(code, doc);
  return doc;
}

/** Department code → name, from the catalog manifest (empty map when it is unavailable). */
export async function departmentNames() {
  try {
    const manifest = await loadManifest();
    return new Map(manifest.departments.map((d) => [d.code, d.name]));
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
 * ``send`` asks for the ticket (the console's signed-in ``call``; the hall's anonymous ``api``).
 */
export async function uploadFile(file, purpose, contentType, send = api) {
  const ticket = await send("POST", "/attachments", {
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
