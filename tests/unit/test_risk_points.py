"""Integrity-risk points (廉政风险点) named by signals and findings, and signals counted by risk level
(docs/DOMAIN.md §3.6): the pure link between the catalog's risk points and the rules that fire on
their steps, and the counting the statistics and the board are built from."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from chalicelib.catalog.domain.items import ItemVersion, RiskPoint, Step
from chalicelib.supervision.domain.board import board
from chalicelib.supervision.domain.records import OversightRecord, SignalDraft
from chalicelib.supervision.domain.risk import concerned_step, count_by_level, level_figures, link, risk_points_for

from .test_legal_checks import ITEM as PENALTY_ITEM
from .test_legal_checks import lawful
from .test_supervision_rules import CAL, STEPS, Case, item_version, t

ACCEPT = RiskPoint(step_code="1", description="承办环节：故意刁难、拖延受理", level=3, controls=["一次性告知", "时限预警"],
                   responsible_role="窗口受理岗")
REVIEW = RiskPoint(step_code="2", description="审核环节：擅自增设审查条件，审查把关不严", level=2,
                   controls=["审查标准网上公开", "审查意见全程留痕"])
DECIDE = RiskPoint(step_code="3", description="批准环节：违规审批、以权谋私", level=1, controls=["集体研究决定"])
#: A risk point on the acceptance step that only R7 (违法不予受理) and R10 (补正告知) name.
REFUSE = RiskPoint(step_code="1", description="承办环节：对符合条件的申请不予受理", level=2, controls=["不予受理须说明理由"],
                   linked_rule_ids=["R7", "R10"])


def with_risks(*points: RiskPoint, steps: list[Step] | None = None) -> ItemVersion:
    v = item_version(steps=steps)
    return v.model_copy(update={"item": v.item.model_copy(update={"risk_points": list(points)})})


ITEM = with_risks(ACCEPT, REVIEW, DECIDE, REFUSE)


def draft(rule: str = "R4", cause: str = "R4:step:2", step_code: str | None = None) -> SignalDraft:
    return SignalDraft(rule=rule, level="yellow", case_no="3203000152012000123", dept_code="015", cause=cause,
                       message="…", recipients=["dept_head"], raised_at=t("2012-06-07"), step_code=step_code)


# --------------------------------------------------------------------------- which step, which risk point


def test_a_step_timeout_names_the_risk_point_of_its_step_with_level_and_controls() -> None:
    # Given the case's step 2 (审核, 1 working day) finished two days late
    case = Case(ITEM).accepted("2012-06-04 09:30").step("1", "2012-06-05 10:00").step("2", "2012-06-08 10:00")
    (r4,) = [s for s in case.events() if s.rule == "R4"]
    # Then the R4 signal concerns step 2 and names its risk point, as the catalog declares it
    assert r4.step_code == "2"
    (point,) = r4.risk_points
    assert point["description"] == "审核环节：擅自增设审查条件，审查把关不严"
    assert (point["level"], point["level_name"], point["step_name"]) == (2, "二级（中）", "审核")
    assert point["controls"] == ["审查标准网上公开", "审查意见全程留痕"]
    assert (point["item_code"], point["item_version"]) == (ITEM.code, ITEM.version)


def test_the_running_step_past_its_limit_names_its_risk_point_in_the_sweep() -> None:
    case = Case(ITEM).accepted("2012-06-04 09:30").step("1", "2012-06-05 10:00").step("2", "2012-06-06 10:00")
    # step 3 (批准, 1 working day from 06-06) is due 06-07: on 06-08 it is late
    (r4,) = [s for s in case.swept("2012-06-08 00:00") if s.rule == "R4"]
    assert r4.step_code == "3" and [p["level"] for p in r4.risk_points] == [1]
    assert r4.risk_points[0]["description"] == "批准环节：违规审批、以权谋私"


def test_a_risk_point_linked_to_rules_is_named_only_by_those_rules() -> None:
    # An R4 on step 1 names the unlinked 故意刁难 point, not the one linked to R7/R10
    assert [p["description"] for p in risk_points_for(ITEM, "R4", "1")] == ["承办环节：故意刁难、拖延受理"]
    # R7 (违法不予受理, about the case, no one step) names only the point linked to it
    assert [p["description"] for p in risk_points_for(ITEM, "R7", None)] == ["承办环节：对符合条件的申请不予受理"]
    # and on another step a linked rule does not name it (that step's unlinked point it does)
    assert [p["description"] for p in risk_points_for(ITEM, "R10", "2")] == ["审核环节：擅自增设审查条件，审查把关不严"]


def test_a_signal_about_the_whole_case_names_no_unlinked_risk_point() -> None:
    # R2 (超承诺期限) concerns no step: it names nothing unless a risk point links R2
    assert risk_points_for(ITEM, "R2", None) == []
    linked = with_risks(ACCEPT, DECIDE.model_copy(update={"linked_rule_ids": ["R2", "R3", "R4"]}))
    assert [p["level"] for p in risk_points_for(linked, "R2", None)] == [1]
    assert [p["level"] for p in risk_points_for(linked, "R4", "3")] == [1]
    assert risk_points_for(linked, "R4", "2") == []


def test_several_risk_points_on_one_step_are_named_highest_level_first() -> None:
    extra = RiskPoint(step_code="2", description="审核环节：与申请人不当接触", level=1, controls=["回避制度"])
    item = with_risks(REVIEW, extra)
    assert [p["level"] for p in risk_points_for(item, "R4", "2")] == [1, 2]


def test_a_draft_says_which_step_it_concerns() -> None:
    assert concerned_step(draft(cause="R4:step:2")) == "2"
    assert concerned_step(draft(cause="task-timeout:Review:015:2012-06-07", step_code="3")) == "3"
    assert concerned_step(draft(rule="R2", cause="R2:due:2012-06-11")) is None


def test_no_item_or_no_risk_points_names_nothing_and_keeps_the_step() -> None:
    assert link(draft(), None).risk_points == () and link(draft(), None).step_code == "2"
    assert link(draft(), item_version(steps=STEPS)).risk_points == ()


def test_a_legal_finding_names_the_risk_point_linked_to_its_check() -> None:
    # Given the penalty item's 决定 risk point linked to L1 (超出法定幅度) and L2 (裁量档次不符)
    point = RiskPoint(step_code="1", description="滥用自由裁量权，处罚畸轻畸重", level=1, controls=["严格执行裁量基准"],
                      linked_rule_ids=["L1", "L2"])
    item = PENALTY_ITEM.model_copy(update={"item": PENALTY_ITEM.item.model_copy(update={"risk_points": [point]})})
    findings = lawful(item).decided("2012-06-20 10:00", amount="20000", tier="heavy").findings()
    (l1,) = [f for f in findings if f.check == "L1"]
    assert [p["description"] for p in l1.risk_points] == ["滥用自由裁量权，处罚畸轻畸重"]
    assert l1.risk_points[0]["level"] == 1


# --------------------------------------------------------------------------- the catalog accepts what departments write


@pytest.mark.parametrize(("given", "stored"), [
    ("R4, r7；Ｌ1", ["R4", "R7", "L1"]),
    (["R04", "R4", " "], ["R4"]),
    (None, []),
])
def test_linked_rule_ids_are_read_leniently(given: Any, stored: list[str]) -> None:
    point = RiskPoint.model_validate({"step_code": "1", "description": "x", "level": 2, "linked_rule_ids": given})
    assert point.linked_rule_ids == stored


def test_a_linked_rule_id_that_is_no_rule_is_named() -> None:
    with pytest.raises(ValueError, match="超时"):
        RiskPoint.model_validate({"step_code": "1", "description": "x", "level": 2, "linked_rule_ids": ["R4", "超时"]})


# --------------------------------------------------------------------------- stored, counted


def test_a_stored_signal_carries_its_risk_points_and_moves_the_counter_of_its_highest_level() -> None:
    linked = link(draft(cause="R4:step:2"), with_risks(REVIEW, RiskPoint(step_code="2", description="y", level=1)))
    record = OversightRecord.raised(linked)
    assert record.body["step_code"] == "2" and record.body["risk_level"] == 1
    assert [p["level"] for p in record.body["risk_points"]] == [1, 2]
    assert record.counter_moves(1) == {"yellow": 1, "risk_1": 1}
    assert record.counter_moves(-1) == {"yellow": -1, "risk_1": -1}
    plain = OversightRecord.raised(draft(rule="R2", cause="R2:due:2012-06-11"))
    assert "risk_points" not in plain.body and plain.counter_moves(1) == {"yellow": 1}


def _body(level: int | None, **kw: Any) -> dict[str, Any]:
    points = [{"level": level}] if level else []
    return {"risk_points": points, "level": "yellow", "status": "open", "dept_code": "015",
            "raised_at": "2012-06-07T00:00:00+08:00", **kw}


def test_signals_are_counted_once_at_the_highest_level_they_name() -> None:
    two_points = {"risk_points": [{"level": 3}, {"level": 1}]}
    assert count_by_level([_body(1), _body(2), _body(2), _body(None), two_points]) == \
        {"1": 2, "2": 2, "3": 0, "none": 1, "total": 5}


def test_period_figures_split_the_yellow_and_red_signals_by_level() -> None:
    figures = level_figures({"yellow": 6, "red": 2, "risk_1": 2, "risk_2": 1, "risk_3": 3})
    assert figures["signals"] == 8 and figures["with_risk_point"] == 6
    assert figures["by_risk_level"] == {"1": 2, "2": 1, "3": 3, "none": 2}
    assert figures["high_risk_rate"] == 0.25
    assert level_figures({})["high_risk_rate"] is None


def test_the_board_counts_open_signals_by_risk_level_per_department() -> None:
    depts = [{"code": "015", "name": "生态环境局"}, {"code": "016", "name": "住建局"}]
    signals = [_body(1), _body(3), _body(None), _body(1, status="closed"), _body(2, dept_code="016")]
    out = board(depts, [], signals, CAL, datetime.fromisoformat("2012-06-08T00:00:00+08:00").date())
    rows = {r["dept_code"]: r for r in out["items"]}
    assert (rows["015"]["signals_risk_1"], rows["015"]["signals_risk_2"], rows["015"]["signals_risk_3"]) == (1, 0, 1)
    assert rows["016"]["signals_risk_2"] == 1
    assert (out["totals"]["signals_risk_1"], out["totals"]["signals_risk_2"]) == (1, 1)


# --------------------------------------------------------------------------- the operation platform's timed-out task


class _Notes:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def notify(self, subject: str, message: dict[str, Any], attributes: dict[str, str]) -> None:
        self.sent.append((subject, message))


def test_a_timed_out_task_names_the_risk_point_of_its_step_and_counts_at_its_level() -> None:
    from chalicelib.cases.repositories import CaseViews
    from chalicelib.catalog.repositories import ItemVersions
    from chalicelib.kernel.deps import Deps
    from chalicelib.kernel.ports import Item
    from chalicelib.kernel.rules_config import RuleConfig
    from chalicelib.runtime.services.task_timeouts import report_timeout
    from tests.support.memory import MemoryStores

    class _Fixed:
        def __init__(self, value: Any) -> None:
            self.value = value

        def current(self) -> Any:
            return self.value

        def now(self) -> datetime:
            return self.value  # type: ignore[no-any-return]

    # Given a case accepted 2012-06-04 on the item whose 批准 step (3) carries a 一级 risk point
    stores = MemoryStores()
    ItemVersions(stores).add(ITEM)  # type: ignore[arg-type]
    case_no = "3203000152012000123"
    pk, sk = CaseViews.key(case_no)
    stores.table("cases").put(Item(pk=pk, sk=sk, body={"case_no": case_no, "accepted_at": "2012-06-04T09:30:00+08:00"}))
    notes = _Notes()
    deps = Deps(stores=stores, clock=_Fixed(t("2012-06-08 09:00")), calendars=_Fixed(CAL),  # type: ignore[arg-type]
                rules=_Fixed(RuleConfig.defaults()), runner=None, notifier=notes, publisher=None,  # type: ignore[arg-type]
                hooks=None, keys=None)  # type: ignore[arg-type]
    # When the platform's wait for step 3 times out
    report_timeout(deps, {"kind": "timeout", "task_kind": "step", "state": "Step3", "case_no": case_no,
                          "dept_code": "015", "owner_dept": "015", "item_code": ITEM.code,
                          "step": {"code": "3", "name": "批准"}, "at": "2012-06-08T09:00:00+08:00"})
    # Then its red R4 signal concerns step 3 and names the 批准 risk point, and counts as a 一级 signal
    (stored,) = [i.body for i in stores.table("oversight").rows.values() if i.body.get("rule") == "R4"]
    assert stored["step_code"] == "3" and stored["risk_level"] == 1
    assert [p["description"] for p in stored["risk_points"]] == ["批准环节：违规审批、以权谋私"]
    # and the notification tells the recipients which risk point the signal concerns
    assert notes.sent[0][1]["case_no"] == case_no
    assert notes.sent[0][1]["risk_points"] == ["一级（高）：批准环节：违规审批、以权谋私"]
    june = {r["dept_code"]: r for r in stores.counters().read("2012-06")}
    assert june["015"]["red"] == 1 and june["015"]["risk_1"] == 1
