// 办理网点 (#/service-points): the register of service points (基层延伸, docs/CONTRACT.md §11). The system
// administrator registers a township's 便民服务中心 or a village's 代办点 (where it is, its hours and phone,
// the departments or categories it takes applications for), stops one taking applications with a reason,
// or lets it take them again. The hall lists the active ones on each item's guide, nearest first.
import { L } from "../../shared/i18n.js";
import { field } from "../../shared/forms.js";
import { fmtTime, h, put } from "../../shared/util.js";
import { call, holds } from "../session.js";
import { actionForm, empty, failure, heading, section, table, tag } from "../ui.js";

const list = (text) => String(text || "").split(/[\s,，、;；]+/).map((x) => x.trim()).filter(Boolean);

function registerForm(ctx) {
  return actionForm({
    id: "point-form",
    note: L("坐标为 WGS-84 经纬度（与手机定位一致），用于群众按距离查找；至少填写一个代办部门或事项类别。",
      "Coordinates are WGS-84 (as phones report them), used to sort by distance; name at least one department or category."),
    fields: [
      h("div", { class: "row2" },
        field({ name: "code", label: L("网点编码", "Code"), required: true, maxlength: 32, hint: L("字母、数字和“-”，如 FX-HK", "Letters, digits and '-', e.g. FX-HK") }),
        field({ name: "kind", label: L("类型", "Kind"), options: [["center", L("便民服务中心（镇/街道）", "Service centre (township)")], ["agency", L("代办点（村/社区）", "Agency point (village)")]] })),
      field({ name: "name", label: L("网点名称", "Name"), required: true, maxlength: 100 }),
      h("div", { class: "row2" },
        field({ name: "region_code", label: L("所在县（市、区）代码", "County code"), required: true, inputmode: "numeric", maxlength: 6, hint: L("如 320321（丰县）", "e.g. 320321") }),
        field({ name: "county", label: L("县（市、区）名称", "County name"), maxlength: 40 })),
      h("div", { class: "row2" },
        field({ name: "township", label: L("镇（街道）", "Township"), required: true, maxlength: 40 }),
        field({ name: "village", label: L("村（社区）（代办点必填）", "Village (agency points)"), maxlength: 40 })),
      field({ name: "address", label: L("地址", "Address"), required: true, maxlength: 200 }),
      h("div", { class: "row2" },
        field({ name: "phone", label: L("办公电话", "Phone"), type: "tel", maxlength: 40 }),
        field({ name: "hours", label: L("办公时间", "Hours"), maxlength: 200 })),
      h("div", { class: "row2" },
        field({ name: "lat", field: "location.lat", label: L("纬度", "Latitude"), required: true, inputmode: "decimal" }),
        field({ name: "lon", field: "location.lon", label: L("经度", "Longitude"), required: true, inputmode: "decimal" })),
      field({ name: "dept_codes", label: L("代办部门代码", "Departments"), hint: L("3 位部门代码，多个用逗号分隔", "3-digit codes, comma-separated") }),
      field({ name: "categories", label: L("代办事项类别", "Categories"), hint: L("如 FW（便民服务）、QR，多个用逗号分隔", "e.g. FW, QR") }),
    ],
    submitText: L("登记网点", "Register"),
    submit: (v) => {
      const body = { ...v, location: { lat: Number(v.lat), lon: Number(v.lon) }, dept_codes: list(v.dept_codes), categories: list(v.categories) };
      delete body.lat;
      delete body.lon;
      for (const k of ["county", "village", "phone", "hours"]) if (!body[k]) delete body[k];
      return call("POST", "/admin/service-points", { body });
    },
    done: () => { ctx.working(); ctx.rerender(); },
  });
}

function deactivateForm(ctx, points) {
  return actionForm({
    id: "point-deactivate",
    fields: [
      field({ name: "code", label: L("网点", "Point"), options: points.map((p) => [p.code, `${p.name}（${p.code}）`]) }),
      field({ name: "reason", label: L("停用原因", "Reason"), required: true, maxlength: 500 }),
    ],
    submitText: L("停止受理", "Deactivate"),
    submit: (v) => call("POST", `/admin/service-points/${encodeURIComponent(v.code)}/deactivate`, { body: { reason: v.reason } }),
    done: () => { ctx.working(); ctx.rerender(); },
  });
}

export async function render(view, ctx) {
  put(view, ...heading(L("办理网点", "Service points"),
    L("镇（街道）便民服务中心和村（社区）代办点代各部门收件；停用的网点不再出现在网上大厅，已有办件和统计保留。",
      "Township centres and village agency points take applications for the departments; a deactivated point leaves the hall, its cases and statistics stay.")));
  const r = await call("GET", "/admin/service-points", { query: { include_inactive: "true" } });
  if (!r.ok) {
    put(view, failure(r.error));
    return { title: L("办理网点", "Service points") };
  }
  const items = r.data.items || [];
  if (!items.length) put(view, empty(L("尚未登记办理网点。", "No service point is registered yet.")));
  else {
    put(view, table({ caption: L(`已登记的网点（${items.length} 个）`, `Registered points (${items.length})`), rows: items,
      rowAttrs: (p) => ({ "data-point": p.code }),
      columns: [
        { label: L("网点", "Point"), render: (p) => [p.name, h("div", { class: "small muted" }, h("code", {}, p.code))] },
        { label: L("类型", "Kind"), render: (p) => (p.kind === "agency" ? L("代办点", "Agency point") : L("便民服务中心", "Service centre")) },
        { label: L("所在地", "Area"), render: (p) => [p.county || p.region_code, p.township, p.village].filter(Boolean).join(" ") },
        { label: L("代办", "Takes"), render: (p) => [...p.dept_codes, ...p.categories].join("、") || "—" },
        { label: L("状态", "Status"), render: (p) => (p.active ? tag(L("受理中", "active"), "ok")
          : [tag(L("已停用", "deactivated"), "warn"), h("div", { class: "small muted" }, `${fmtTime(p.deactivated_at)} ${p.deactivation_reason || ""}`)]) },
        { label: L("操作", "Action"), render: (p) => (holds("system_admin") && !p.active ? h("button", { type: "button", class: "btn btn-secondary btn-small", onclick: async (e) => {
          e.target.disabled = true;
          const a = await call("POST", `/admin/service-points/${encodeURIComponent(p.code)}/activate`);
          if (a.ok) { ctx.working(); ctx.rerender(); } else e.target.disabled = false;
        } }, L("恢复受理", "Reactivate")) : "—") },
      ] }));
  }
  if (holds("system_admin")) {
    const active = items.filter((p) => p.active);
    if (active.length) put(view, section(L("停用网点", "Deactivate a point"), deactivateForm(ctx, active)));
    put(view, section(L("登记网点", "Register a point"), registerForm(ctx)));
  }
  return { title: L("办理网点", "Service points") };
}
