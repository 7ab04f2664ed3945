"""L12 catalog governance (目录动态调整): a law change must be followed by the department's
declaration, and a declaration by the legal office's answer, each within its limit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from chalicelib.kernel.rules_config import RuleConfig
from chalicelib.supervision.domain.common import (
    Breach,
    day_start,
)
from chalicelib.supervision.domain.records import FindingDraft

GovernanceKind = Literal["law_change", "declaration"]


@dataclass(frozen=True)
class GovernanceRecord:
    """A catalog-governance obligation (目录动态调整, L12).

    ``law_change``: the legal office flagged a law change on ``triggered_on``; the department must
    declare the item's adjustment (``answered_on`` = declared). ``declaration``: the department
    declared on ``triggered_on``; the legal office must reply (``answered_on`` = replied).
    """

    code: str
    dept_code: str
    kind: GovernanceKind
    triggered_on: date
    answered_on: date | None = None


_GOVERNANCE: Mapping[str, tuple[str, tuple[str, ...], str]] = {
    "law_change": ("declare_days", ("dept_head",), "declare"),
    "declaration": ("legal_reply_days", ("legal",), "reply"),
}


def governance_findings(
    declarations: Sequence[GovernanceRecord],
    as_of: date,
    cfg: RuleConfig,
) -> list[FindingDraft]:
    """L12 目录调整超期 (yellow): a law change not declared within 20 days (to the department);
    a declaration not answered by the legal office within 10 days (to the legal office).

    A record answered late still yields its finding, so the result does not depend on when the
    check runs. ``case_no`` is the item code.
    """
    today = day_start(as_of)
    out: list[FindingDraft] = []
    for rec in declarations:
        param, recipients, label = _GOVERNANCE[rec.kind]
        days = cfg.int_value(param, rec.triggered_on)
        deadline = rec.triggered_on + timedelta(days=days)
        answered = day_start(rec.answered_on) if rec.answered_on is not None else None
        breach = Breach(
            "L12",
            "yellow",
            f"L12:{label}:{rec.triggered_on.isoformat()}",
            day_start(deadline + timedelta(days=1)),
            answered,
            "",
        )
        if not breach.true_by(today):
            continue
        if rec.kind == "law_change":
            state = f"实际于 {rec.answered_on.isoformat()} 才申报" if rec.answered_on else "至今未申报"
            message = (
                f"法律法规于 {rec.triggered_on.isoformat()} 变化，"
                f"部门应在 {days} 日内（{deadline.isoformat()} 前）申报事项 {rec.code} 的目录调整，{state}。"
            )
        else:
            state = f"实际于 {rec.answered_on.isoformat()} 才答复" if rec.answered_on else "至今未答复"
            message = (
                f"部门于 {rec.triggered_on.isoformat()} 申报事项 {rec.code} 的目录调整，"
                f"法制办应在 {days} 日内（{deadline.isoformat()} 前）答复，{state}。"
            )
        out.append(
            FindingDraft(
                rule="L12",
                level="yellow",
                case_no=rec.code,
                dept_code=rec.dept_code,
                cause=breach.cause,
                message=message,
                recipients=list(recipients),
                raised_at=breach.instant,
            )
        )
    return sorted(out, key=lambda f: (f.raised_at, f.case_no, f.cause))
