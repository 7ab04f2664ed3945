// DOM building, formatting and the code lists shown to people.
import { L } from "./i18n.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const PROPS = new Set(["value", "checked", "disabled", "selected", "hidden", "required", "multiple"]);

function applyAttrs(el, attrs, isSvg) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.setAttribute("class", value);
    } else if (key === "style") {
      // Through the CSSOM: the Content-Security-Policy (style-src 'self') refuses style attributes.
      el.style.cssText = String(value);
    } else if (key === "for") {
      el.htmlFor = value;
    } else if (!isSvg && PROPS.has(key)) {
      el[key] = value;
      if (key !== "value") el.setAttribute(key, "");
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Create an HTML element: h("a", {href: "#/"}, "首页"). Text is always inserted as text, never as HTML. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs, false);
  append(el, children);
  return el;
}

/** Create an SVG element. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs, true);
  append(el, children);
  return el;
}

let uid = 0;
/** A page-unique id for label/aria wiring. */
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

const WEEKDAYS_ZH = ["日", "一", "二", "三", "四", "五", "六"];
const WEEKDAYS_EN = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Parse YYYY-MM-DD as a calendar date (UTC midnight, so no time-zone drift). */
export function parseDay(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text || "");
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

export function weekday(text) {
  const d = parseDay(text);
  if (!d) return "";
  return L(`周${WEEKDAYS_ZH[d.getUTCDay()]}`, WEEKDAYS_EN[d.getUTCDay()]);
}

/** 2026-10-14 → "2026-10-14（周三）". */
export function fmtDay(text, withWeekday = false) {
  if (!text) return "—";
  const day = String(text).slice(0, 10);
  return withWeekday ? L(`${day}（${weekday(day)}）`, `${day} (${weekday(day)})`) : day;
}

const SHANGHAI = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

/** An ISO instant shown in business time (Asia/Shanghai): "2026-09-25 10:12". */
export function fmtTime(text) {
  if (!text) return "—";
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return String(text);
  const p = Object.fromEntries(SHANGHAI.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The business date (Asia/Shanghai) of an instant, or of now. */
export function shanghaiDay(instant) {
  const d = instant ? new Date(instant) : new Date();
  const p = Object.fromEntries(SHANGHAI.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

export function unitText(unit, value) {
  if (unit === "calendar_day") return L("个自然日", value === 1 ? "calendar day" : "calendar days");
  return L("个工作日", value === 1 ? "working day" : "working days");
}

/** {value: 5, unit: "working_day"} → "5 个工作日". */
export function fmtLimit(limit) {
  if (!limit || limit.value === undefined || limit.value === null) return "—";
  return `${limit.value} ${unitText(limit.unit, limit.value)}`;
}

export function fmtMoney(amount) {
  if (amount === null || amount === undefined || amount === "") return "—";
  const n = Number(amount);
  if (Number.isNaN(n)) return String(amount);
  const text = n.toLocaleString("zh-CN", { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  return L(`${text} 元`, `CNY ${text}`);
}

export function fmtRate(rate) {
  if (rate === null || rate === undefined) return L("无数据", "n/a");
  return `${(Number(rate) * 100).toFixed(1)}%`;
}

export function fmtInt(n) {
  return n === null || n === undefined ? "—" : Number(n).toLocaleString("zh-CN");
}

/** Plain 16-character code from either form. */
export function plainCode(text) {
  return String(text || "").replace(/[-\s]/g, "").toUpperCase();
}

export function dashedCode(code) {
  const c = plainCode(code);
  return c.length === 16 ? `${c.slice(0, 6)}-${c.slice(6, 9)}-${c.slice(9, 11)}-${c.slice(11, 14)}-${c.slice(14)}` : c;
}

// ---- Code lists shown to people -------------------------------------------------------------

export const CATEGORY_NAMES = {
  XK: ["行政许可", "Licensing"], CF: ["行政处罚", "Penalty"], ZS: ["行政征收", "Levy"], QZ: ["行政强制", "Coercion"],
  SP: ["非行政许可审批", "Non-licence approval"], GF: ["行政给付", "Benefit payment"], JL: ["行政奖励", "Reward"],
  QR: ["行政确认", "Confirmation"], ZY: ["行政征用", "Requisition"], CJ: ["行政裁决", "Adjudication"],
  QT: ["其他行政权力", "Other powers"], FW: ["便民服务", "Public service"],
};

/** Categories whose cases start with an application (在线申办 applies). */
export const APPLICATION_CATEGORIES = new Set(["XK", "SP", "GF", "JL", "QR", "CJ", "QT", "ZS", "ZY", "FW"]);

export function categoryName(code, fallback) {
  const pair = CATEGORY_NAMES[code];
  if (!pair) return fallback || code;
  return L(fallback || pair[0], pair[1]);
}

export function pick(map, key, fallback) {
  const pair = map[key];
  return pair ? L(pair[0], pair[1]) : (fallback ?? key ?? "—");
}

export const CASE_STATUS = {
  submitted: ["已申报，待受理", "Submitted"], accepted: ["已受理", "Accepted"], in_progress: ["审批中", "In progress"],
  suspended: ["暂停计时（特别程序）", "Paused (special procedure)"], concluded: ["已办结", "Concluded"],
  rejected: ["不予受理", "Not accepted"],
};

export const EVENT_TYPES = {
  submitted: ["申办", "Submitted"], pre_accepted: ["预受理", "Pre-review"], accepted: ["受理", "Accepted"],
  step: ["审批环节", "Review step"], supplement_requested: ["补交告知", "Supplements requested"],
  supplement_received: ["补交受理", "Supplements received"], special_started: ["特别程序开始", "Special procedure started"],
  special_ended: ["特别程序结束", "Special procedure ended"], concluded: ["办结", "Concluded"],
  delivered: ["领取/送达", "Delivered"],
};

export const RESULT_CODES = {
  0: ["出证办结", "Approved"], 1: ["不予许可", "Refused"], 2: ["作废", "Void"], 3: ["删除", "Deleted"],
  4: ["转报", "Forwarded"], 5: ["退件", "Withdrawn"], 6: ["不予受理", "Not accepted"],
};

export const PENALTY_TYPES = {
  warning: ["警告", "Warning"], fine: ["罚款", "Fine"], confiscation: ["没收违法所得、没收非法财物", "Confiscation"],
  suspension: ["责令停产停业", "Suspension"], revocation: ["暂扣或者吊销许可证、执照", "Revocation"],
  detention: ["行政拘留", "Detention"], other: ["其他", "Other"],
};

export const TIERS = {
  light: ["轻微（从轻）", "Light"], medium: ["一般", "Medium"], heavy: ["严重（从重）", "Heavy"],
  "轻": ["轻", "Light"], "中": ["中", "Medium"], "重": ["重", "Heavy"],
};

export const RISK_LEVELS = { 1: ["一级（高）", "Level 1 (high)"], 2: ["二级（中）", "Level 2 (medium)"], 3: ["三级（低）", "Level 3 (low)"] };

export const COMPLAINT_CATEGORIES = {
  efficiency: ["办事效率", "Efficiency"], attitude: ["服务态度", "Attitude"], violation: ["违法违纪", "Misconduct"],
  fee: ["违规收费", "Improper fees"], other: ["其他", "Other"],
};

export const RATINGS = { satisfied: ["满意", "Satisfied"], basic: ["基本满意", "Mostly satisfied"], dissatisfied: ["不满意", "Dissatisfied"] };

export const CALENDAR_SOURCES = {
  official: ["国务院办公厅公布的节假日安排", "the official State Council holiday schedule"],
  override: ["本市发布的年度工作日历", "the city's published working calendar"],
  "weekends-only": ["仅按周末推算（该年度官方节假日安排尚未发布）", "weekends only (the official schedule for that year is not yet published)"],
  "calendar-days": ["按自然日连续计算", "consecutive calendar days"],
  unavailable: ["暂无法计算", "not computable yet"],
};

/** Build a route hash: route("catalog", [], {q: "小餐饮"}) → "#/catalog?q=%E5%B0%8F..." */
export function route(page, args = [], params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const path = [page, ...args.map(encodeURIComponent)].join("/");
  const qs = q.toString();
  return `#/${path}${qs ? `?${qs}` : ""}`;
}

/** Append children like h() does: nulls skipped, arrays flattened, strings as text. */
export function put(el, ...children) {
  append(el, children);
  return el;
}

/** Replace an element's children, with the same rules as put(). */
export function swap(el, ...children) {
  el.replaceChildren();
  return put(el, ...children);
}

/**
 * A data table that becomes a stack of cards at phone width (CSS `table.cards`): every cell carries
 * its column's name (`data-label`), and explicit roles keep the table's meaning for screen readers
 * when the cards are no longer laid out as a table.
 * `columns`: [[header, cell(row) → node|text, {class}?], …]
 */
export function cardTable(id, columns, rows) {
  return h("table", { id, class: "cards", role: "table" },
    h("thead", { role: "rowgroup" }, h("tr", { role: "row" }, columns.map(([head]) => h("th", { scope: "col", role: "columnheader" }, head)))),
    h("tbody", { role: "rowgroup" }, rows.map((row) => h("tr", { role: "row" }, columns.map(([head, cell, opts]) =>
      h("td", { role: "cell", "data-label": head, class: (opts && opts.class) || null }, cell(row)))))));
}
