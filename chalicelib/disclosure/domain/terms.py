"""The vocabulary of 政府信息公开: answer types and their reasons (条例 art. 36–37), applicant kinds,
and where each outcome falls in the national annual-report table (国办公开办 2021 template, table 3).

The contract names the answer types (docs/CONTRACT.md §9); the reasons a department must give are free
text, and the *kind* of reason (``reason_code``) is what the annual report counts. A department
may name it; when it does not, the kind is read from the reason's words, and only when no kind
can be told does a withheld answer need ``reason_code`` (its choices listed in the error).
"""
from __future__ import annotations

from typing import Literal

AnswerType = Literal["already_public", "disclosed", "partly_disclosed", "withheld", "not_exist", "not_ours",
                     "duplicate", "not_processed"]

ANSWER_TYPES: dict[str, str] = {
    "already_public": "已主动公开（告知获取的方式和途径）",
    "disclosed": "予以公开",
    "partly_disclosed": "部分公开",
    "withheld": "不予公开",
    "not_exist": "无法提供（本机关不掌握或信息不存在）",
    "not_ours": "非本机关负责公开（告知负责机关）",
    "duplicate": "重复申请，不予重复处理",
    "not_processed": "不予处理",
}
#: Types that disclose: no reason needed (docs/CONTRACT.md §9).
NO_REASON_TYPES = frozenset({"already_public", "disclosed"})

#: 不予公开 — the eight kinds of the annual report (art. 14–16).
WITHHELD_REASONS: dict[str, str] = {
    "state_secret": "属于国家秘密",
    "law_forbidden": "其他法律行政法规禁止公开",
    "security_stability": "危及“三安全一稳定”",
    "third_party": "保护第三方合法权益",
    "internal_affairs": "属于三类内部事务信息",
    "process_info": "属于四类过程性信息",
    "enforcement_file": "属于行政执法案卷",
    "query_service": "属于行政查询事项",
}
#: 无法提供 (art. 36(四)(五), 38).
UNAVAILABLE_REASONS: dict[str, str] = {
    "not_held": "本机关不掌握相关政府信息",
    "needs_creation": "没有现成信息需要另行制作",
    "still_unclear": "补正后申请内容仍不明确",
}
#: 不予处理 (art. 35, 36(六), 39).
NOT_PROCESSED_REASONS: dict[str, str] = {
    "petition": "信访举报投诉类申请",
    "duplicate": "重复申请",
    "publication": "要求提供公开出版物",
    "excessive": "无正当理由大量反复申请",
    "reconfirm": "要求行政机关确认或重新出具已获取信息",
}
#: 其他处理 — requests closed without an answer (art. 30, 42).
OTHER_REASONS: dict[str, str] = {
    "not_clarified": "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "fee_unpaid": "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other": "其他",
}
WithdrawReason = Literal["not_clarified", "fee_unpaid", "other"]

REASONS_BY_TYPE: dict[str, dict[str, str]] = {
    "withheld": WITHHELD_REASONS,
    "partly_disclosed": WITHHELD_REASONS,
    "not_exist": UNAVAILABLE_REASONS,
    "not_ours": UNAVAILABLE_REASONS,
    "not_processed": NOT_PROCESSED_REASONS,
    "duplicate": NOT_PROCESSED_REASONS,
}
#: The reason kind a type has when nothing else tells (None: it must be told).
DEFAULT_REASON: dict[str, str | None] = {
    "withheld": None, "partly_disclosed": None, "not_exist": "not_held", "not_ours": "not_held",
    "duplicate": "duplicate", "not_processed": None,
}

#: Words in a reason that tell its kind (first match wins, in this order).
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("state_secret", ("国家秘密", "涉密", "保密法")),
    ("security_stability", ("国家安全", "公共安全", "经济安全", "社会稳定", "三安全一稳定")),
    ("third_party", ("商业秘密", "个人隐私", "第三方", "第十五条")),
    ("internal_affairs", ("内部事务", "人事管理", "后勤管理", "内部工作流程")),
    ("process_info", ("过程性", "讨论记录", "磋商信函", "请示报告", "第十六条第二款")),
    ("enforcement_file", ("执法案卷",)),
    ("query_service", ("行政查询", "查询事项")),
    ("law_forbidden", ("法律、行政法规禁止", "法律法规禁止", "禁止公开")),
    ("needs_creation", ("另行制作", "加工", "分析")),
    ("still_unclear", ("仍不明确",)),
    ("not_held", ("不掌握", "不存在", "未制作", "未获取")),
    ("petition", ("信访", "举报", "投诉")),
    ("publication", ("公开出版物",)),
    ("excessive", ("大量", "反复申请")),
    ("reconfirm", ("确认", "重新出具")),
)


def infer_reason(answer_type: str, reason: str | None) -> str | None:
    """The reason kind an answer's words tell, within the kinds of its type; else its default."""
    choices = REASONS_BY_TYPE.get(answer_type)
    if choices is None:
        return None
    text = reason or ""
    for code, words in _KEYWORDS:
        if code in choices and any(w in text for w in words):
            return code
    return DEFAULT_REASON.get(answer_type)


# --- applicants -----------------------------------------------------------------------------------

ApplicantKind = Literal["person", "org"]
OrgKind = Literal["commercial", "research", "public_interest", "legal_service", "other"]
#: The columns of the annual report: natural persons, then legal persons or other organisations.
APPLICANT_COLUMNS: dict[str, str] = {
    "person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
}
#: What the hall and department systems send for the applicant's type, read leniently.
APPLICANT_TYPE_ALIASES: dict[str, ApplicantKind] = {
    "person": "person", "natural_person": "person", "individual": "person", "citizen": "person",
    "自然人": "person", "个人": "person",
    "org": "org", "organization": "org", "organisation": "org", "legal_person": "org", "company": "org",
    "enterprise": "org", "法人": "org", "法人或其他组织": "org", "组织": "org",
}


def applicant_column(kind: str, org_kind: str | None) -> str:
    """The annual-report column of an applicant."""
    if kind == "person":
        return "person"
    return org_kind if org_kind in APPLICANT_COLUMNS and org_kind != "person" else "other"


# --- the annual report's rows ---------------------------------------------------------------------

#: The outcome rows of table 3, in the template's order: ``(row, name, kinds)``.
OUTCOME_ROWS: tuple[tuple[str, str, dict[str, str] | None], ...] = (
    ("disclosed", "（一）予以公开", None),
    ("partly_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("withheld", "（三）不予公开", WITHHELD_REASONS),
    ("unavailable", "（四）无法提供", UNAVAILABLE_REASONS),
    ("not_processed", "（五）不予处理", NOT_PROCESSED_REASONS),
    ("other", "（六）其他处理", OTHER_REASONS),
)


def outcome_row(answer_type: str | None, reason_code: str | None, withdrawn: str | None) -> tuple[str, str | None]:
    """Where a closed request is counted: ``(row, kind)`` (kind None for rows without kinds)."""
    if withdrawn is not None:
        return "other", withdrawn if withdrawn in OTHER_REASONS else "other"
    if answer_type in ("disclosed", "already_public"):
        return "disclosed", None
    if answer_type == "partly_disclosed":
        return "partly_disclosed", None
    if answer_type == "withheld":
        return "withheld", reason_code if reason_code in WITHHELD_REASONS else "law_forbidden"
    if answer_type in ("not_exist", "not_ours"):
        return "unavailable", reason_code if reason_code in UNAVAILABLE_REASONS else "not_held"
    if answer_type == "duplicate":
        return "not_processed", "duplicate"
    return "not_processed", reason_code if reason_code in NOT_PROCESSED_REASONS else "petition"
