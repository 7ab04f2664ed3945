// 政府信息公开's code lists for staff ([中文, English] pairs for pick()): the request's states, its acts,
// the answer types of 条例 art. 36 and the kinds of reason the annual report counts. The Chinese
// names are the API's own (chalicelib/disclosure/domain/terms.py, requests.py).

export const REQUEST_STATUS = {
  open: ["办理中", "In progress"], extended: ["已延期", "Extended"], clarifying: ["待申请人补正", "Awaiting clarification"],
  consulting: ["征求第三方意见中", "Consulting a third party"], answered: ["已答复", "Answered"],
  withdrawn: ["已终止（视为放弃申请）", "Closed (deemed withdrawn)"],
};

export const CLOCK_STATES = {
  running: ["计时中", "Running"], clarifying: ["补正期间不计时", "Stopped while the applicant clarifies"],
  consulting: ["征求意见期间不计时", "Stopped while a third party is consulted"], closed: ["已办结", "Closed"],
};

export const ACT_NAMES = {
  answer: ["作出答复", "Answer"], clarify: ["告知补正", "Ask for clarification"], clarified: ["收到补正", "Clarification received"],
  consult_start: ["征求第三方意见", "Consult a third party"], consult_end: ["征求意见结束", "End the consultation"],
  extend: ["延长答复期限", "Extend the time limit"], withdraw: ["终止办理（视为放弃申请）", "Close (deemed withdrawn)"],
};

export const ANSWER_TYPES = {
  disclosed: ["予以公开", "Disclosed"], partly_disclosed: ["部分公开", "Partly disclosed"],
  already_public: ["已主动公开（告知获取的方式和途径）", "Already public (where to find it)"],
  withheld: ["不予公开", "Withheld"], not_exist: ["无法提供（本机关不掌握或信息不存在）", "Cannot be provided (not held)"],
  not_ours: ["非本机关负责公开（告知负责机关）", "Not this body's (name the right one)"],
  duplicate: ["重复申请，不予重复处理", "Duplicate request"], not_processed: ["不予处理", "Not processed"],
};

/** Answer types that disclose: no reason needed (docs/CONTRACT.md §9). */
export const NO_REASON = new Set(["disclosed", "already_public"]);

const WITHHELD = {
  state_secret: ["属于国家秘密", "State secret"], law_forbidden: ["其他法律行政法规禁止公开", "Forbidden by law"],
  security_stability: ["危及“三安全一稳定”", "Endangers security or stability"], third_party: ["保护第三方合法权益", "Third parties' rights"],
  internal_affairs: ["属于三类内部事务信息", "Internal affairs"], process_info: ["属于四类过程性信息", "Process information"],
  enforcement_file: ["属于行政执法案卷", "Enforcement file"], query_service: ["属于行政查询事项", "Administrative query service"],
};
const UNAVAILABLE = {
  not_held: ["本机关不掌握相关政府信息", "Not held by this body"], needs_creation: ["没有现成信息需要另行制作", "Would have to be created"],
  still_unclear: ["补正后申请内容仍不明确", "Still unclear after clarification"],
};
const NOT_PROCESSED = {
  petition: ["信访举报投诉类申请", "A petition or complaint"], duplicate: ["重复申请", "Duplicate"],
  publication: ["要求提供公开出版物", "Asks for a publication"], excessive: ["无正当理由大量反复申请", "Excessive repeated requests"],
  reconfirm: ["要求行政机关确认或重新出具已获取信息", "Asks to confirm or reissue information held"],
};

/** The reason kinds each answer type may name (the annual report counts them). */
export const REASONS_BY_TYPE = {
  withheld: WITHHELD, partly_disclosed: WITHHELD, not_exist: UNAVAILABLE, not_ours: UNAVAILABLE,
  not_processed: NOT_PROCESSED, duplicate: NOT_PROCESSED,
};

export const REASON_NAMES = { ...WITHHELD, ...UNAVAILABLE, ...NOT_PROCESSED };

export const WITHDRAW_REASONS = {
  not_clarified: ["申请人无正当理由逾期不补正", "Not clarified in time"], fee_unpaid: ["逾期未缴纳信息处理费", "Fee not paid in time"],
  other: ["其他", "Other"],
};

export const APPLICANT_TYPES = { person: ["自然人", "Natural person"], org: ["法人或其他组织", "Legal person or organisation"] };

export const FORMATS = { electronic: ["电子", "Electronic"], paper: ["纸质", "Paper"] };

export const DELIVERY = { email: ["电子邮件", "E-mail"], post: ["邮寄", "Post"], collect: ["当面领取", "Collect in person"], online: ["网上获取", "Online"] };

export const REQUEST_CHANNELS = { online: ["网上申请", "Online"], window: ["当面", "In person"], letter: ["信函", "Letter"], fax: ["传真", "Fax"], email: ["电子邮件", "E-mail"] };
