// 评价: the applicant rates how a case was handled (满意 / 基本满意 / 不满意).
import { api } from "../../shared/data.js";
import { busy, choices, field, showErrors, val, validate } from "../../shared/forms.js";
import { L } from "../../shared/i18n.js";
import { RATINGS, h, pick, put, route } from "../../shared/util.js";

export async function render(view, ctx) {
  const title = L("办件评价", "Rate a case");
  const form = h("form", { novalidate: true },
    h("p", { class: "muted" }, L("带 * 的为必填项。", "Fields marked * are required.")),
    field({ name: "case_no", id: "evaluate-case-no", label: L("办件编号", "Case number"), required: true, value: ctx.params.get("case_no") || "", autocomplete: "off", spellcheck: false, maxlength: 40 }),
    field({ name: "password", id: "evaluate-password", field: "password", label: L("查询密码", "Query password"), type: "password", required: true, autocomplete: "off", maxlength: 40 }),
    choices({ name: "rating", id: "evaluate-rating", legend: L("满意度", "Your rating"), required: true,
      choices: Object.keys(RATINGS).map((k) => [k, pick(RATINGS, k)]) }),
    field({ name: "comment", id: "evaluate-comment", label: L("意见建议（选填）", "Comment (optional)"), type: "textarea", rows: 4, maxlength: 1000 }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "btn" }, L("提交评价", "Submit rating"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const details = validate(form);
    if (details.length) {
      showErrors(form, details);
      return;
    }
    const body = { password: val(form, "password"), rating: val(form, "rating") };
    if (val(form, "comment")) body.comment = val(form, "comment");
    busy(form, true);
    const res = await api("POST", `/cases/${encodeURIComponent(val(form, "case_no"))}/evaluation`, { body });
    busy(form, false);
    if (!res.ok) {
      const message = res.status === 404 ? L("未找到办件或查询密码错误", "No case found, or the password is wrong") : res.error.message;
      showErrors(form, res.error.details, message);
      return;
    }
    const box = h("section", { class: "receipt", id: "evaluate-receipt", "aria-labelledby": "evaluate-done", tabindex: "-1" },
      h("h2", { id: "evaluate-done" }, L("感谢您的评价", "Thank you for your rating")),
      h("p", {}, L(`您的评价“${pick(RATINGS, body.rating)}”已记录，将计入部门满意度统计并公开。`, `Your rating “${pick(RATINGS, body.rating)}” is recorded and counts towards the department's published satisfaction rate.`)),
      h("div", { class: "actions" }, h("a", { class: "btn btn-secondary", href: route("stats") }, L("查看部门统计", "See department statistics"))));
    form.replaceWith(box);
    box.focus();
  });
  put(view, h("h1", {}, title), h("p", { class: "lead" }, L("凭办件编号和查询密码，对办理情况进行满意度评价。", "Rate how your case was handled, using its number and password.")), form);
  return { title };
}
