// 办理地点 · 就近办理 (基层延伸, docs/CONTRACT.md §11): the service points (便民服务中心, 代办点) that take an
// item, nearest first from the citizen's position (browser geolocation, only when the citizen asks and
// grants it; the position goes to the API as a query and is not stored) or from a chosen township.
import { api } from "../../shared/data.js";
import { L } from "../../shared/i18n.js";
import { h, nextId, route, swap } from "../../shared/util.js";

const KIND_CLASS = { center: "", agency: "ok" };

function distanceText(km) {
  if (km === null || km === undefined) return null;
  return km < 1 ? L(`约 ${Math.round(km * 1000)} 米`, `about ${Math.round(km * 1000)} m`)
    : L(`约 ${km.toFixed(1)} 公里`, `about ${km.toFixed(1)} km`);
}

function tel(phone) {
  return phone ? h("a", { href: `tel:${String(phone).replace(/[^\d+]/g, "")}` }, phone) : "—";
}

function pointCard(itemCode, p, index) {
  const place = [p.county, p.township, p.village].filter(Boolean).join(" ");
  const dist = distanceText(p.distance_km);
  return h("li", { class: "card point", "data-code": p.code },
    h("h3", { class: "point-name" },
      h("span", { class: "point-rank", "aria-hidden": "true" }, `${index + 1}. `), p.name, " ",
      h("span", { class: `tag ${KIND_CLASS[p.kind] || ""}` }, p.kind_name)),
    dist ? h("p", { class: "point-distance" }, h("strong", {}, L("距离：", "Distance: ")), dist) : null,
    h("dl", { class: "kv" },
      h("dt", {}, L("所在地", "Area")), h("dd", {}, place || "—"),
      h("dt", {}, L("地址", "Address")), h("dd", {}, p.address),
      h("dt", {}, L("办公时间", "Hours")), h("dd", {}, p.hours || "—"),
      h("dt", {}, L("电话", "Phone")), h("dd", {}, tel(p.phone))),
    h("p", { class: "point-apply" }, h("a", { href: route("apply", [itemCode], { point: p.code }) },
      L(`在线申办，到${p.name}递交材料`, `Apply online, hand in the materials at ${p.name}`))));
}

/** The section; it loads its list itself (the guide is shown at once, the points when they arrive). */
export function pointsSection(itemCode) {
  const status = h("p", { class: "muted", role: "status", "aria-live": "polite", id: "points-status" },
    L("正在查询办理网点…", "Looking up service points…"));
  const list = h("ol", { class: "points", id: "points-list", "aria-label": L("办理网点（由近及远）", "Service points (nearest first)") });
  const selectId = nextId("points-area");
  const select = h("select", { id: selectId, name: "township" }, h("option", { value: "" }, L("— 请选择 —", "— choose —")));
  const locate = h("button", { type: "button", class: "btn btn-secondary", id: "points-locate" }, L("使用我的位置", "Use my location"));

  async function show(query, how) {
    status.textContent = L("正在查询办理网点…", "Looking up service points…");
    list.removeAttribute("data-loaded");
    const r = await api("GET", "/service-points", { query: { item_code: itemCode, ...query } });
    if (!r.ok) {
      swap(list);
      status.textContent = r.error.message;
      return;
    }
    const items = r.data.items || [];
    swap(list, items.map((p, i) => pointCard(itemCode, p, i)));
    list.setAttribute("data-loaded", how);
    status.textContent = items.length
      ? (how === "none" ? L(`共 ${items.length} 个办理网点。选择所在镇（街道）或使用您的位置，可按距离由近及远排列。`,
        `${items.length} service points. Choose your township or use your location to sort them by distance.`)
        : L(`共 ${items.length} 个办理网点，已按距离由近及远排列（直线距离）。`, `${items.length} service points, nearest first (straight-line distance).`))
      : L("本事项暂无基层办理网点，请到部门窗口或在线申办。", "No local service point takes this item; apply online or at the department's window.");
  }

  locate.addEventListener("click", () => {
    if (!navigator.geolocation) {
      status.textContent = L("您的浏览器不支持定位，请选择所在镇（街道）。", "Your browser cannot share a location; please choose your township.");
      return;
    }
    status.textContent = L("正在获取您的位置…", "Getting your location…");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        select.value = "";
        show({ lat: pos.coords.latitude.toFixed(5), lon: pos.coords.longitude.toFixed(5) }, "position");
      },
      () => { status.textContent = L("未能获取您的位置（可能未授权），请选择所在镇（街道）。", "Your location is not available (perhaps not allowed); please choose your township."); },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
  });
  select.addEventListener("change", () => {
    if (select.value) show({ township_code: select.value }, "township");
    else show({}, "none");
  });

  (async () => {
    const areas = await api("GET", "/service-points/areas");
    if (areas.ok) {
      let county = null;
      let group = null;
      for (const a of areas.data.items || []) {
        if (a.county !== county || !group) {
          county = a.county;
          group = h("optgroup", { label: a.county || a.region_code });
          select.append(group);
        }
        group.append(h("option", { value: a.township_code }, a.township));
      }
    }
    await show({}, "none");
  })();

  return h("section", { "aria-labelledby": "guide-points", id: "points" },
    h("h2", { id: "guide-points" }, L("办理地点 · 就近办理", "Where to apply · nearest service points")),
    h("p", {}, L("除部门窗口外，以下镇（街道）便民服务中心和村（社区）代办点也可受理本事项的申请。",
      "Besides the department's window, these township service centres and village agency points take applications for this item.")),
    h("div", { class: "actions points-controls" },
      locate,
      h("div", { class: "field" }, h("label", { for: selectId }, L("或选择所在镇（街道）", "Or choose your township")), select)),
    status, list,
    h("p", { class: "muted small" }, L("距离为直线距离，仅供参考；您的位置只用于本次排序，不会被保存。",
      "Distances are straight-line and indicative; your location is used only to sort this list and is not stored.")));
}
