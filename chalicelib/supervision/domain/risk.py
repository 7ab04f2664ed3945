"""Integrity-risk points (廉政风险点) named by the signals and findings that fire on the steps they guard.

docs/DOMAIN.md §3.6: each item version declares, per step of its internal flow, the risk of abuse
there, its level (1 一级/高: could amount to a crime; 2 二级/中: a breach of discipline; 3 三级/低:
a minor breach), the control measures (防控措施) and optionally the rules linked to it
(``linked_rule_ids``). "Linking risk points to supervision rules lets a signal show which risk point
fired." The link, pure and decided here:

* A record *concerns a step* when it says so (``Draft.step_code``: a timed-out task of the
  operation platform) or its cause does (``R4:step:2`` — 环节超时 on step 2).
* A risk point **without** linked rules is named by every record that concerns its step.
* A risk point **with** linked rules is named only by records of those rules: on its own step, or by
  a record about the whole case (R2 超承诺期限, R7 违法不予受理, L1 超出法定幅度 … concern no one step;
  linking them is how a department says which risk they realise).
* The risk points come from the item version bound to the case (the one in force at acceptance),
  so a later change of the catalog never rewrites what a past signal named.

Counting (:func:`count_by_level`): a record naming several risk points counts once, at the highest
level it names; a record naming none counts as 未关联风险点.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from chalicelib.catalog.domain.items import ItemVersion, RiskPoint

from .records import Draft

#: docs/DOMAIN.md §3.6's three levels, as staff read them.
RISK_LEVEL_NAMES: dict[int, str] = {1: "一级（高）", 2: "二级（中）", 3: "三级（低）"}
RISK_LEVELS = (1, 2, 3)
#: The counter of each level in the period statistics (``risk_1`` …).
RISK_COUNTERS: dict[int, str] = {n: f"risk_{n}" for n in RISK_LEVELS}

_STEP_CAUSE = re.compile(r"^[A-Z]{1,2}\d{1,3}:step:(.+)$")

D = TypeVar("D", bound=Draft)


def concerned_step(draft: Draft) -> str | None:
    """The step of the internal flow a signal or finding concerns; None when it concerns the case."""
    if draft.step_code:
        return draft.step_code
    m = _STEP_CAUSE.match(draft.cause)
    return m.group(1) if m else None


def names(point: RiskPoint, rule: str, step_code: str | None) -> bool:
    """Whether a record of ``rule`` concerning ``step_code`` (None: the whole case) names ``point``."""
    if point.linked_rule_ids:
        return rule in point.linked_rule_ids and (step_code is None or step_code == point.step_code)
    return step_code is not None and step_code == point.step_code


def risk_points_for(item: ItemVersion | None, rule: str, step_code: str | None) -> list[dict[str, Any]]:
    """The risk points a record of ``rule`` on ``step_code`` names in ``item``, highest level first,
    each as staff read it: step (code and name), description, level and its name, controls, the
    responsible post, and the item version it was declared in."""
    if item is None:
        return []
    steps = {s.code: s.name for s in item.item.steps}
    found = [p for p in item.item.risk_points if names(p, rule, step_code)]
    found.sort(key=lambda p: p.level)
    return [{"step_code": p.step_code, "step_name": steps.get(p.step_code), "description": p.description,
             "level": p.level, "level_name": RISK_LEVEL_NAMES[p.level], "controls": list(p.controls),
             "responsible_role": p.responsible_role, "linked_rule_ids": list(p.linked_rule_ids),
             "item_code": item.code, "item_version": item.version} for p in found]


def link(draft: D, item: ItemVersion | None) -> D:
    """The draft with the step it concerns and the risk points it names in the case's bound ``item``."""
    step = concerned_step(draft)
    points = risk_points_for(item, draft.rule, step)
    if step == draft.step_code and not points:
        return draft
    return replace(draft, step_code=step, risk_points=tuple(points))


def link_all(drafts: Sequence[D], item: ItemVersion | None) -> list[D]:
    """:func:`link` over a rule run's drafts (one item version for the whole case)."""
    return [link(d, item) for d in drafts]


def highest_level(record: Mapping[str, Any]) -> int | None:
    """The highest (lowest-numbered) risk level a stored record names; None when it names none."""
    levels = [int(p["level"]) for p in record.get("risk_points") or [] if p.get("level") in RISK_LEVELS]
    return min(levels) if levels else None


def count_by_level(records: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Records by the highest risk level each names: ``{"1", "2", "3", "none", "total"}``."""
    out = {"1": 0, "2": 0, "3": 0, "none": 0, "total": 0}
    for r in records:
        level = highest_level(r)
        out[str(level) if level else "none"] += 1
        out["total"] += 1
    return out


def level_figures(counts: Mapping[str, int]) -> dict[str, Any]:
    """A statistics row's signals by risk level, from its period counters (``yellow``, ``red``,
    ``risk_1`` …): each level, those naming none, and the share naming a first-level (high) risk."""
    signals = int(counts.get("yellow", 0) or 0) + int(counts.get("red", 0) or 0)
    by_level = {str(n): max(0, int(counts.get(RISK_COUNTERS[n], 0) or 0)) for n in RISK_LEVELS}
    named = sum(by_level.values())
    return {"signals": signals, "by_risk_level": {**by_level, "none": max(0, signals - named)},
            "with_risk_point": named,
            "high_risk_rate": round(by_level["1"] / signals, 4) if signals else None}
