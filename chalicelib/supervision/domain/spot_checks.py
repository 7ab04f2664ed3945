"""Spot checks (抽查, docs/DOMAIN.md §6.2 R7): drawing the sample and recording each review.

The draw is auditable: the record keeps the seed, how many cases were eligible and a SHA-256 of
their sorted numbers, so anyone with the same candidate list can re-draw the same sample
(``random.Random(seed).sample(sorted(candidates), size)``). Each sampled case is reviewed once; the
check is complete when every sampled case is.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.kernel.errors import ValidationError, field_error
from chalicelib.kernel.periods import local_date, periods_of

from .complaints import journal

Population = Literal["rejected", "concluded", "decided"]
Finding = Literal["compliant", "wrongful_rejection", "irregular"]
POPULATION_NAMES = {"rejected": "不予受理的办件", "concluded": "已办结的办件", "decided": "已办结或不予受理的办件"}
FINDING_NAMES = {"compliant": "未发现问题", "wrongful_rejection": "违法不予受理", "irregular": "存在其他问题"}


def decided_at(view: CaseView) -> datetime | None:
    """When the case was decided: its conclusion, else (refused at intake) its intake decision."""
    concluded = view.concluded_at or (view.result.concluded_at if view.result else None)
    if concluded is not None or view.status != "rejected":
        return concluded
    refusals = [e.at for e in view.timeline if e.type == "accepted" and e.status == "rejected"]
    return refusals[-1] if refusals else view.last_event_at


def eligible(view: CaseView, population: Population, period: str) -> bool:
    at = decided_at(view)
    if at is None or period not in periods_of(local_date(at)):
        return False
    if population == "rejected":
        return view.rejected_at_intake
    if population == "concluded":
        return view.status == "concluded" and not view.rejected_at_intake
    return view.status in ("concluded", "rejected")


def draw(candidates: list[str], size: int, seed: str) -> list[str]:
    """The sample: reproducible from the sorted candidates and the seed."""
    ordered = sorted(candidates)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))


def candidates_digest(candidates: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(candidates)).encode()).hexdigest()


def sampled(view: CaseView) -> dict[str, Any]:
    """A sampled case as the check records it, awaiting its review."""
    at = decided_at(view)
    return {"case_no": view.case_no, "item_code": view.item_code, "item_name": view.item_name,
            "status": view.status, "decided_on": local_date(at).isoformat() if at else None, "review": None}


@dataclass
class SpotCheck:
    """A spot check record (``rec`` as stored) and the reviews of its sample."""

    rec: dict[str, Any]

    def entry(self, case_no: str) -> dict[str, Any]:
        """The sampled case; 400 naming ``case_no`` when it is not in the sample."""
        found = next((c for c in self.rec["cases"] if c["case_no"] == case_no), None)
        if found is None:
            raise ValidationError("该办件不在本次抽查样本中",
                                  [field_error("case_no", f"{case_no} 不在抽查样本中", "unknown")])
        return found

    def review(self, case_no: str, finding: Finding, note: str, by: str, at: datetime,
               signal_id: str | None, cause: str) -> dict[str, Any]:
        """Record the conclusion on one sampled case (or, 复核, replace an earlier different one, kept
        under ``revises``); the check completes with its last review."""
        entry = self.entry(case_no)
        done = entry["review"]
        revision = int(done.get("revision", 0)) + 1 if done is not None else 0
        entry["review"] = {"case_no": case_no, "finding": finding, "note": note, "by": by, "at": at.isoformat(),
                           "signal_id": signal_id, "revision": revision, "cause": cause}
        if done is not None:
            entry["review"]["revises"] = done
        action = "revise_review" if done is not None else "review"
        journal(self.rec, at, by, action, f"{case_no}：{FINDING_NAMES[finding]}")
        if all(c["review"] is not None for c in self.rec["cases"]):
            self.rec["status"] = "completed"
            self.rec["completed_at"] = at.isoformat()
        return dict(entry["review"])


def review_cause(no: str, done: dict[str, Any] | None) -> str:
    """The signal cause of a review: ``spotcheck:{no}``, then ``spotcheck:{no}:{revision}`` for each 复核."""
    revision = int(done.get("revision", 0)) + 1 if done is not None else 0
    return f"spotcheck:{no}" + (f":{revision}" if revision else "")
