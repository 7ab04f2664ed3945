// 异常处理 (#/exceptions): what the data exchange found odd — late reports, events without their
// earlier steps, unknown items, missing reasons — for the supervision bureau and the department.
import { L } from "../../shared/i18n.js";
import { fmtTime, h, pick, put, route } from "../../shared/util.js";
import { deptScoped } from "../session.js";
import { EXCEPTION_CODES } from "../names.js";
import { heading, listing } from "../ui.js";
import { deptLabel } from "../depts.js";

export async function render(view, ctx) {
  put(view, ...heading(L("异常处理", "Exceptions"), L("数据交换中发现的异常：报送不及时、缺少前置环节、事项不在目录、缺少理由等，最新的在前。", "Odd facts found in the exchanged data, newest first.")));
  const { node } = await listing(ctx, {
    path: "/supervision/exceptions",
    filters: deptScoped() ? [] : [{ name: "dept_code", label: L("部门代码", "Department"), inputmode: "numeric" }],
    emptyText: L("没有异常。", "No exceptions."),
    caption: L("异常队列", "Exceptions queue"),
    columns: [
      { label: L("类型", "Kind"), render: (x) => pick(EXCEPTION_CODES, x.code, x.code) },
      { label: L("办件", "Case"), render: (x) => (x.case_no ? h("a", { href: route("case", [x.case_no]), class: "code" }, x.case_no) : "—") },
      { label: L("部门", "Department"), render: (x) => deptLabel(x.dept_code) },
      { label: L("说明", "Message"), render: (x) => x.message },
      { label: L("记录时间", "Recorded"), render: (x) => fmtTime(x.recorded_at) },
    ],
  });
  put(view, node);
  return { title: L("异常处理", "Exceptions") };
}
