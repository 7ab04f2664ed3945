// Horizontal bar charts drawn as inline SVG (no library). Each chart has an accessible name and
// description, and the page shows the same numbers in a data table.
import { h, nextId, s } from "./util.js";

/** A round axis maximum and tick count (at most 5 steps of 1, 2 or 5 × 10^k) covering ``top``. */
export function niceScale(top) {
  for (let exp = 0; ; exp += 1) {
    for (const m of [1, 2, 5]) {
      const step = m * 10 ** exp;
      const ticks = Math.ceil(top / step);
      if (ticks <= 5) return { max: step * Math.max(1, ticks), ticks: Math.max(1, ticks) };
    }
  }
}

/**
 * opts: {title, desc, labels: [category label], series: [{name, values: [number|null], color, format}],
 *        max (optional fixed maximum, e.g. 1 for rates), width (px), empty (text for null values)}
 * Returns a <figure> with the SVG and a legend.
 */
export function barChart(opts) {
  const id = nextId("chart");
  const width = Math.max(300, Math.floor(opts.width || 640));
  const pad = { left: 8, right: 64, top: 28 };
  const barH = opts.series.length > 1 ? 16 : 22;
  const gap = 4;
  const labelH = 20;
  const rowH = labelH + opts.series.length * (barH + gap) + 12;
  const height = pad.top + opts.labels.length * rowH + 8;
  const values = opts.series.flatMap((se) => se.values).filter((v) => v !== null && v !== undefined);
  const { max, ticks } = opts.max ? { max: opts.max, ticks: 4 } : niceScale(Math.max(1, ...values));
  const plotW = width - pad.left - pad.right;
  const x = (v) => pad.left + (plotW * Math.max(0, v)) / max;

  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`, class: "bar-chart", preserveAspectRatio: "xMinYMin meet",
  }, s("title", { id: `${id}-title` }, opts.title), s("desc", { id: `${id}-desc` }, opts.desc || ""));

  for (let i = 0; i <= ticks; i += 1) {
    const v = (max * i) / ticks;
    const gx = x(v);
    svg.append(s("line", { class: "grid-line", x1: gx, x2: gx, y1: pad.top - 6, y2: height - 8 }));
    const fmt = opts.series[0].format || ((n) => String(Math.round(n)));
    svg.append(s("text", { class: "axis", x: gx, y: pad.top - 10, "text-anchor": i === 0 ? "start" : "middle" }, fmt(v)));
  }
  opts.labels.forEach((label, row) => {
    const y0 = pad.top + row * rowH;
    svg.append(s("text", { x: pad.left, y: y0 + 15, "font-size": 14, "font-weight": 600 }, label));
    opts.series.forEach((se, k) => {
      const v = se.values[row];
      const by = y0 + labelH + k * (barH + gap);
      const fmt = se.format || ((n) => String(n));
      if (v === null || v === undefined) {
        svg.append(s("text", { x: pad.left + 4, y: by + barH - 4, "font-size": 13, class: "axis" }, opts.empty || "—"));
        return;
      }
      const w = Math.max(x(v) - pad.left, v > 0 ? 2 : 0);
      svg.append(s("rect", {
        class: "bar", x: pad.left, y: by, width: w, height: barH, rx: 2, fill: se.color,
        "data-series": se.name, "data-value": v,
      }));
      svg.append(s("text", { x: pad.left + w + 6, y: by + barH - 4, "font-size": 13 }, fmt(v)));
    });
  });
  const legend = opts.series.length > 1
    ? h("ul", { class: "legend", "aria-hidden": "true" }, opts.series.map((se) => h("li", {}, h("span", { class: "sw", style: `background:${se.color}` }), se.name)))
    : null;
  return h("figure", { class: "chart" }, legend, svg);
}
