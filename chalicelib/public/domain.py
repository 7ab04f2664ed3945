"""Masking of personal data for everything public (DOMAIN §8.2).

A natural person's name shows as ``张*``; organisations may be named. ID numbers, phones,
addresses, query passwords and internal opinions never leave through a public response.
"""
from __future__ import annotations

import re
from typing import Any

from chalicelib.cases.domain.case_view import CaseView, Party

_ORG_MARKERS = ("公司", "厂", "局", "中心", "店", "社", "所", "院", "会", "站", "队", "部", "行", "校", "园", "馆")


_ID_NO = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def scrub(text: str | None) -> str | None:
    """Free text written by departments may carry personal data: blank out ID numbers and mobiles."""
    if not text:
        return text
    return _MOBILE.sub("1**********", _ID_NO.sub("******************", text))


def mask_name(name: str | None, party_type: str | None = None) -> str | None:
    if not name:
        return None
    if party_type == "org" or (party_type is None and any(m in name for m in _ORG_MARKERS)):
        return name
    return name[0] + "*"


def mask_party(party: Party | None) -> dict[str, Any]:
    if party is None:
        return {"name": None, "type": None}
    return {"name": mask_name(party.name, party.type), "type": party.type}


def public_case(view: CaseView) -> dict[str, Any]:
    """CONTRACT §7 ``GET /cases/{case_no}``: progress without personal data or internal opinions."""
    result = None
    if view.result is not None:
        result = {"code": view.result.code, "desc": scrub(view.result.desc), "cert_no": view.result.cert_no,
                  "cert_name": view.result.cert_name, "concluded_at": view.result.concluded_at.isoformat()}
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
        "pauses": [{"kind": p.kind, "name": p.name, "start": p.start.isoformat(),
                    "end": p.end.isoformat() if p.end else None} for p in view.pauses],
        "timeline": [{"type": t.type, "at": t.at.isoformat(), "name": t.name,
                      **({"step_code": t.step_code} if t.step_code else {})} for t in view.timeline],
        "result": result,
        "applicant": mask_party(party) if party else {"name": None},
    }


def public_result(view: CaseView) -> dict[str, Any] | None:
    """结果公开: a concluded case or a penalty decision, masked; None when nothing to publish."""
    base = {"case_no": view.case_no, "item_code": view.item_code, "item_name": view.item_name,
            "dept_code": view.dept_code, "category": view.category}
    if view.penalty is not None and view.penalty.decision is not None:
        d = view.penalty.decision
        party = view.applicant
        return {**base, "kind": "penalty", "decision_no": d.decision_no,
                "party": mask_name(party.name if party else None, party.type if party else None),
                "violation": scrub(view.penalty.cause), "types": d.types,
                "amount": float(d.amount) if d.amount is not None else None,
                "basis": d.basis_ids, "concluded_at": d.decided_at.isoformat(), "result": "处罚决定"}
    if view.result is not None and view.status == "concluded" and view.result.code == 0:
        party = view.applicant
        return {**base, "kind": "license",
                "party": mask_name(party.name if party else None, party.type if party else None),
                "concluded_at": view.result.concluded_at.isoformat(), "result": scrub(view.result.desc) or "准予许可",
                "result_code": view.result.code, "cert_no": view.result.cert_no, "cert_name": view.result.cert_name}
    return None
