"""Masking of personal data for everything public (docs/DOMAIN.md §8.2).

A natural person's name shows as ``张*``; organisations may be named. ID numbers, phones,
addresses, query passwords and internal opinions never leave through a public response.
"""
from __future__ import annotations

import re
from typing import Any

from chalicelib.cases.domain.case_view import CaseView, Party
from chalicelib.cases.domain.events import RESULT_CODES

#: Endings that make a name an organisation's when the department did not say (type missing).
_ORG_SUFFIXES = ("公司", "有限公司", "集团", "厂", "中心", "店", "商行", "超市", "合作社", "事务所", "研究所",
                 "医院", "诊所", "卫生院", "药房", "学校", "大学", "学院", "幼儿园", "协会", "商会", "学会", "基金会",
                 "委员会", "局", "站", "队", "部", "馆", "院", "园", "社", "场", "所", "行", "处", "室", "厅", "社区",
                 "村委会", "居委会", "工作室", "门市部", "经营部", "分公司", "企业", "银行")
#: A natural person's name is at most this long (compound surnames and two-character given names).
_MAX_PERSON_NAME = 4

_ID_18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
_ID_15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_CARD = re.compile(r"(?<![\d\-])(?:62|4\d|5[1-5]|3[47])\d{2}(?:[ \-]?\d{4}){2,3}(?:[ \-]?\d{1,3})?(?![\d\-])")
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})[ \-]?\d{3,4}[ \-]?\d{4}(?!\d)")
_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{1,12}(?:大道|大街|路|街|巷|弄|胡同|里)\d+(?:-\d+)?号"
    r"(?:\d+(?:号楼|栋|幢|座|单元|层|楼|室|号))*"
    r"|\d+(?:栋|幢|座|号楼)(?:\d+单元)?(?:\d+(?:室|层|楼|号))?"
)
_HIDDEN = "***"


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return _HIDDEN if 16 <= len(digits) <= 19 and _luhn(digits) else match.group(0)


def scrub(text: str | None) -> str | None:
    """Free text written by departments or staff may carry personal data: blank out resident ID
    numbers (18 and 15 digits), mobiles (with ``+86``, spaces or dashes), landlines, e-mail
    addresses, bank card numbers (checked with Luhn) and street addresses. Everything published
    as free text goes through here; structured fields are preferred wherever there is a choice."""
    if not text:
        return text
    text = _EMAIL.sub(_HIDDEN, text)
    text = _ID_18.sub("******************", text)
    text = _CARD.sub(_card, text)
    text = _ID_15.sub("***************", text)
    text = _MOBILE.sub("1**********", text)
    text = _LANDLINE.sub(_HIDDEN, text)
    return _ADDRESS.sub(_HIDDEN, text)


def is_organisation(name: str, party_type: str | None) -> bool:
    """Whether a party may be named: an organisation by the department's word, or — type missing —
    by its name (longer than a person's and ending like an organisation's)."""
    if party_type == "org":
        return True
    if party_type is not None:
        return False
    return len(name) > _MAX_PERSON_NAME and name.endswith(_ORG_SUFFIXES)


def mask_name(name: str | None, party_type: str | None = None) -> str | None:
    """A natural person's name as ``张*``; an organisation's name unchanged."""
    if not name:
        return None
    name = name.strip()
    if is_organisation(name, party_type):
        return name
    return name[0] + "*"


def mask_party(party: Party | None) -> dict[str, Any]:
    if party is None:
        return {"name": None, "type": None}
    return {"name": mask_name(party.name, party.type), "type": party.type}


def public_case(view: CaseView) -> dict[str, Any]:
    """docs/CONTRACT.md §7 ``GET /cases/{case_no}``: progress without personal data or internal opinions."""
    result = None
    if view.result is not None:
        # The result by its code (办结结果代码), not the department's free-text description; a refusal's
        # reason, which the applicant must be told, is scrubbed.
        result = {"code": view.result.code, "desc": RESULT_CODES.get(view.result.code, ""),
                  "cert_no": view.result.cert_no, "cert_name": scrub(view.result.cert_name),
                  "concluded_at": view.result.concluded_at.isoformat(),
                  **({"reason": scrub(view.result.reason)} if view.result.code != 0 and view.result.reason else {})}
    party = view.applicant or (Party(name=None) if view.penalty is None else None)
    return {
        "case_no": view.case_no,
        "item_code": view.item_code,
        "item_name": view.item_name,
        "item_version": view.item_version,
        "dept_code": view.dept_code,
        "status": view.status,
        "submitted_at": view.submitted_at.isoformat() if view.submitted_at else None,
        "accepted_at": view.accepted_at.isoformat() if view.accepted_at else None,
        "concluded_at": view.concluded_at.isoformat() if view.concluded_at else None,
        "due": view.due.isoformat() if view.due else None,
        "due_derivation": view.due_derivation.model_dump(mode="json") if view.due_derivation else None,
        "statutory_due": view.statutory_due.isoformat() if view.statutory_due else None,
        "statutory_derivation": (view.statutory_derivation.model_dump(mode="json")
                                 if view.statutory_derivation else None),
        "pauses": [{"kind": p.kind, "name": scrub(p.name), "start": p.start.isoformat(),
                    "end": p.end.isoformat() if p.end else None} for p in view.pauses],
        "timeline": [{"type": t.type, "at": t.at.isoformat(), "name": scrub(t.name),
                      **({"step_code": t.step_code} if t.step_code else {})} for t in view.timeline],
        "result": result,
        "applicant": mask_party(party) if party else {"name": None},
    }


def public_result(view: CaseView, violation: str | None = None) -> dict[str, Any] | None:
    """结果公开: a concluded case or a penalty decision, masked; None when nothing to publish.

    Structured fields only: the result by its code, the violation as the catalog declares it
    (``violation``, else the item's name), the party masked — never a department's free text."""
    base = {"case_no": view.case_no, "item_code": view.item_code, "item_name": view.item_name,
            "dept_code": view.dept_code, "category": view.category}
    if view.penalty is not None and view.penalty.decision is not None:
        d = view.penalty.decision
        party = view.applicant
        return {**base, "kind": "penalty", "decision_no": d.decision_no,
                "party": mask_name(party.name if party else None, party.type if party else None),
                "violation": violation or view.item_name, "types": d.types,
                "amount": float(d.amount) if d.amount is not None else None,
                "basis": d.basis_ids, "concluded_at": d.decided_at.isoformat(), "result": "处罚决定"}
    if view.category == "QZ":
        return None  # 行政强制 is no licence: 双公示 publishes licences and penalties, not seizures or enforcement
    if view.result is not None and view.status == "concluded" and view.result.code == 0:
        party = view.applicant
        return {**base, "kind": "license",
                "party": mask_name(party.name if party else None, party.type if party else None),
                "concluded_at": view.result.concluded_at.isoformat(), "result": "准予许可",
                "result_code": view.result.code, "cert_no": view.result.cert_no,
                "cert_name": scrub(view.result.cert_name)}
    return None
