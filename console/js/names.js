// Code lists shown to staff (the hall's lists are in shared/util.js). [中文, English] pairs for pick().

export const ROLES = {
  handler: ["办理人", "Handler"], dept_head: ["部门负责人", "Department head"], dept_supervision: ["部门监察", "Department supervision"],
  supervisor: ["监察局", "Supervision bureau"], legal: ["法制办", "Legal office"], admin: ["管理员（系统与安全）", "Administrator (system and security)"],
  system_admin: ["系统管理员", "System administrator"], security_admin: ["安全管理员", "Security administrator"],
  audit_admin: ["安全审计员", "Audit administrator"],
};

export const TASK_KINDS = {
  accept: ["受理", "Acceptance"], supplement: ["补正材料接收", "Supplements"], step: ["审批环节", "Review step"],
  co_review: ["并联审查", "Co-review"], conclude: ["办结", "Conclusion"], deliver: ["送达", "Delivery"],
  open_case: ["立案", "Open case"], notify: ["事先告知", "Prior notice"], hearing: ["听证", "Hearing"],
  decide: ["处罚决定", "Decision"], serve: ["送达", "Service"], enforce: ["执行", "Enforcement"], close: ["结案", "Closing"],
  // 行政强制 (runtime/domain/coercion.py)
  qz_open: ["立案", "Opened"], qz_approve: ["报告批准", "Approval"], qz_implement: ["实施强制措施", "Carrying out the measure"],
  qz_serve: ["决定书送达", "Decision served"], qz_dispose: ["期限内解除/处理", "Release or disposal"], qz_demand: ["催告", "Demand"],
  qz_statement: ["陈述申辩", "Statement and defence"], qz_decide: ["强制执行决定", "Enforcement decision"], qz_execute: ["强制执行", "Enforcement"],
};

export const ACTIONS = {
  accept: ["受理", "Accept"], reject: ["不予受理", "Refuse to accept"], request_supplement: ["一次性告知补正", "Request supplements"],
  receive_supplement: ["补正材料接收", "Receive supplements"], complete_step: ["签署环节意见", "Sign the step opinion"],
  return_step: ["退回上一环节", "Return to the previous step"], void: ["作废", "Void the case"],
  start_special: ["启动特别程序", "Start a special procedure"], end_special: ["结束特别程序", "End a special procedure"],
  conclude: ["办结", "Conclude"], deliver: ["送达/领取登记", "Deliver"], open_case: ["立案", "Open the case"],
  notify: ["事先告知", "Serve prior notice"], hold_hearing: ["听证", "Hearing"], decide: ["作出处罚决定", "Decide"],
  serve: ["送达决定书", "Serve the decision"], enforce: ["执行", "Enforce"], close: ["结案", "Close"],
  approve_measure: ["批准采取强制措施", "Approve the measure"], implement_measure: ["实施强制措施", "Carry out the measure"],
  serve_measure: ["送达查封扣押决定书", "Serve the decision and list"], dispose_measure: ["解除或处理", "Release or dispose"],
  extend_measure: ["延长查封扣押期限", "Extend the term"], demand: ["催告", "Serve the demand"], hear_statement: ["听取陈述申辩", "Hear the statement"],
  decide_enforcement: ["作出强制执行决定", "Decide to enforce"], execute: ["实施强制执行", "Enforce"],
  suspend_enforcement: ["中止执行", "Suspend"], resume_enforcement: ["恢复执行", "Resume"], terminate_enforcement: ["终结执行", "Terminate"],
};

// The status of a step event on a case's timeline (runtime/domain/process.py; a department's own system
// may send words of its own, shown as sent).
export const STEP_STATUS = {
  approved: ["同意", "approved"], objected: ["不同意", "objected"], returned: ["退回", "returned"],
  accepted: ["受理", "accepted"], rejected: ["不予受理", "rejected"], passed: ["审核通过", "passed"], supplement: ["补交补正", "supplement"],
};

// 行政强制法: the grounds of 中止执行 (art.39), 终结执行 (art.40), and how a 查封/扣押 ends (art.27, 28).
export const SUSPEND_GROUNDS = {
  hardship: ["当事人履行确有困难或者暂无履行能力", "The party cannot perform for now"], third_party: ["第三人对执行标的主张权利，确有理由", "A third party's claim"],
  irreparable: ["执行可能造成难以弥补的损失，且中止执行不损害公共利益", "Irreparable loss"], other: ["其他需要中止执行的情形", "Other"],
};
export const TERMINATE_GROUNDS = {
  death_no_estate: ["公民死亡，无遗产可供执行，又无义务承受人", "Death without estate"], org_ended: ["法人或者其他组织终止，无财产可供执行", "Organisation ended"],
  object_lost: ["执行标的灭失", "Object lost"], decision_revoked: ["据以执行的行政决定被撤销", "Decision revoked"],
  performed: ["当事人已履行义务", "Performed"], other: ["其他需要终结执行的情形", "Other"],
};
export const DISPOSALS = {
  release: ["解除查封、扣押", "Release"], confiscate: ["依法没收", "Confiscate"], destroy: ["依法销毁", "Destroy"], transfer: ["移送司法机关", "Transfer to the judiciary"],
};

export const RULES = {
  R1: ["临期", "Due soon"], R2: ["超承诺期限", "Past the promised limit"], R3: ["超法定期限", "Past the statutory limit"],
  R4: ["环节超时", "Step overdue"], R5: ["初审报送超期", "First review late"], R6: ["未说明理由", "No reason given"],
  R7: ["违法不予受理", "Unlawful refusal"], R8: ["未网上运行/报送不及时", "Not run online / reported late"], R9: ["违规收费", "Improper fee"],
  R10: ["补正告知超期或多次补正", "Late or repeated supplement requests"], R11: ["特别程序超时/超限", "Special procedure overrun"],
  R12: ["证照送达超期", "Late delivery"], R13: ["事项不符", "Item mismatch"], R14: ["处罚办案超时", "Penalty case overdue"],
  R15: ["依申请公开超期", "Disclosure request overdue"], C1: ["投诉受理", "Complaint accepted"], C2: ["投诉处理不满意", "Complaint handling unsatisfactory"],
  E1: ["办件评价不满意", "Applicant dissatisfied"], E2: ["红牌未按期说明", "Red signal not explained in time"],
};

export const CHECKS = {
  L1: ["超出法定幅度", "Outside the statutory range"], L2: ["裁量档次不符", "Wrong discretion tier"], L3: ["执法人员资格", "Officer qualification"],
  L4: ["依据无效", "Invalid legal basis"], L5: ["未告知听证", "Hearing right not notified"], L6: ["听证期限未满即决定", "Decided before the hearing window closed"],
  L7: ["听证通知期限/主持人", "Hearing notice or chair"], L8: ["未事先告知", "No prior notice"], L9: ["听证案件未备案", "Hearing case not filed"],
  L10: ["越权/事项不在目录", "Beyond authority / not in the catalog"], L11: ["处罚办案超时", "Penalty case overdue"], L12: ["目录调整超期", "Catalog change overdue"],
  L13: ["行政强制程序违法", "Coercion procedure unlawful"],
};

export const RECORD_STATUS = {
  open: ["待说明", "Open"], explained: ["已说明，待处理", "Explained"], closed: ["已关闭", "Closed"],
};

export const DISPOSITIONS = {
  accept: ["采纳说明", "Explanation accepted"], reject: ["不予采纳", "Explanation rejected"], withdrawn: ["系统撤回", "Withdrawn"],
};

// A signal's or finding's history (supervision/domain/records.py: who did what, when).
export const RECORD_ACTIONS = {
  explain: ["提交情况说明", "Explained"], accept: ["采纳说明", "Explanation accepted"], reject: ["不予采纳", "Explanation rejected"],
  withdraw: ["撤回", "Withdrawn"], explanation_overdue: ["逾期未说明", "Explanation overdue"],
};

export const LEVELS = { green: ["正常", "On track"], yellow: ["黄牌", "Yellow"], red: ["红牌", "Red"] };

export const COMPLAINT_STATUS = {
  received: ["待受理", "Received"], accepted: ["已受理", "Accepted"], rejected: ["不予受理", "Rejected"],
  transferred: ["已转办", "Transferred"], replied: ["部门已答复", "Replied"], concluded: ["已办结", "Concluded"],
};

export const CONSULTATION_STATUS = { open: ["待答复", "Open"], answered: ["已答复", "Answered"] };

export const CHANNELS = { online: ["网上", "Online"], letter: ["来信", "Letter"], phone: ["来电", "Phone"], visit: ["来访", "Visit"], window: ["窗口", "Window"], system: ["部门系统", "Department system"] };

export const EXCEPTION_CODES = {
  late_report: ["报送不及时", "Reported late"], orphan: ["缺少前置环节", "Missing earlier events"], unknown_item: ["事项不在目录", "Unknown item"],
  missing_reason: ["缺少理由", "Missing reason"],
};

export const GRADES = { 优秀: ["优秀", "Excellent"], 良好: ["良好", "Good"], 合格: ["合格", "Pass"], 不合格: ["不合格", "Fail"] };

export const NORMDOC_STATUS = {
  filed: ["已报送", "Filed"], held: ["暂缓登记", "Held"], registered: ["已登记", "Registered"], ok: ["审查通过", "Passed review"],
  correction_requested: ["责令纠正", "Correction requested"], revoked: ["撤销", "Revoked"],
};

export const REVIEW_OUTCOMES = {
  upheld: ["维持", "Upheld"], revoked: ["撤销", "Revoked"], varied: ["变更", "Varied"], confirmed_illegal: ["确认违法", "Confirmed unlawful"],
  ordered_performance: ["责令履行", "Ordered to perform"],
};

export const DELIVERY_MODES = { window: ["窗口领取", "Collected at the window"], mail: ["邮寄送达", "By post"], electronic: ["电子证照", "Electronic licence"], direct: ["直接送达", "In person"], notice: ["公告送达", "By public notice"] };

export const SESSION_KINDS = { password: ["口令登录", "Password"], oidc: ["统一身份认证", "Single sign-on"], issued: ["本地测试令牌", "Local test token"] };

export const COMPLAINT_FINDINGS = {
  founded: ["投诉属实", "Founded"], partly_founded: ["部分属实", "Partly founded"], unfounded: ["投诉不属实", "Unfounded"],
  wrongful_rejection: ["查实违法不予受理", "Wrongful refusal at intake confirmed"],
};

export const COMPLAINT_ACTIONS = {
  accept: ["受理", "Accepted"], reject: ["不予受理", "Rejected"], transfer: ["转部门办理", "Transferred"], reply: ["部门答复", "Department replied"],
  conclude: ["办结", "Concluded"], revise_finding: ["复查改变认定", "Finding revised"], rate: ["投诉人评价", "Rated by the complainant"],
};
