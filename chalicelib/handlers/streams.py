"""Stream consumers: plain Lambda functions whose event-source mappings live in ``infra/``
(bisect on error, finite retries, SQS on-failure destination, partial batch responses).

Each reports partial-batch failures (Powertools-style): a failing case makes its first record
the checkpoint; everything after it is redelivered, which is safe because every consumer is
idempotent (projections are rebuilt from the log, signals are written only if absent).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from .. import wiring

if TYPE_CHECKING:
    from chalicelib.cases.domain.case_view import CaseView

# Contexts load on first use: imported in the handlers' bodies, models named (handlers/__init__.py).

log = logging.getLogger("sunlit.streams")
bp = Blueprint(__name__)


#: Called before each case of a batch is handled, with the consumer and the case: a seam for the
#: local stack's fault injection (``devstack.faults``). None in every deployment.
before_case: Callable[[str, str], None] | None = None


def _before(consumer: str, key: str) -> None:
    if before_case is not None:
        before_case(consumer, key)


def _image(record: dict[str, Any]) -> dict[str, Any] | None:
    return (record.get("dynamodb") or {}).get("NewImage")


def _key(record: dict[str, Any]) -> tuple[str, str]:
    keys = (record.get("dynamodb") or {}).get("Keys") or {}
    return (keys.get("pk", {}).get("S", ""), keys.get("sk", {}).get("S", ""))


def group_records(records: list[dict[str, Any]], group: Callable[[dict[str, Any]], str | None]
                  ) -> tuple[list[str], dict[str, list[dict[str, Any]]], dict[str, str]]:
    """Records by group (a case), groups in first-seen order, and each group's first sequence number."""
    order: list[str] = []
    members: dict[str, list[dict[str, Any]]] = {}
    first_seq: dict[str, str] = {}
    for rec in records:
        g = group(rec)
        if g is None:
            continue
        if g not in members:
            order.append(g)
            members[g] = []
            first_seq[g] = rec["dynamodb"]["SequenceNumber"]
        members[g].append(rec)
    return order, members, first_seq


def failures(failed: list[str]) -> dict[str, Any]:
    """The partial-batch response: Lambda checkpoints at the lowest failed sequence number."""
    if not failed:
        return {"batchItemFailures": []}
    lowest = min(failed, key=lambda s: int(s) if s.isdigit() else s)
    return {"batchItemFailures": [{"itemIdentifier": lowest}]}


def process_grouped(records: list[dict[str, Any]], group: Callable[[dict[str, Any]], str | None],
                    handle: Callable[[str, list[dict[str, Any]]], object], consumer: str) -> dict[str, Any]:
    """Run ``handle`` once per group (a case), in first-seen order; report the first failure."""
    order, members, first_seq = group_records(records, group)
    failed: list[str] = []
    for g in order:
        try:
            _before(consumer, g)
            with wiring.span(consumer, case_no=g):
                handle(g, members[g])
        except Exception:
            log.exception("%s failed for %s", consumer, g)
            failed.append(first_seq[g])
    return failures(failed)


def _log_case(record: dict[str, Any]) -> str | None:
    pk, sk = _key(record)
    if not sk.startswith("LOG#") or record.get("eventName") == "REMOVE" or not pk.startswith("CASE#"):
        return None  # a request for disclosure keeps its own log (written with its summary)
    return pk.removeprefix("CASE#")


def _seq(record: dict[str, Any]) -> int:
    """The sequence number of a log record (``LOG#00000007`` → 7)."""
    tail = _key(record)[1].removeprefix("LOG#")
    return int(tail) if tail.isdigit() else 0


def _view_case(record: dict[str, Any]) -> str | None:
    pk, sk = _key(record)
    if sk != "VIEW" or record.get("eventName") == "REMOVE" or not pk.startswith("CASE#"):
        return None
    return pk.removeprefix("CASE#")


def _supervised(record: dict[str, Any]) -> str | None:
    """A case view (``CASE#…``) or a request for disclosure's summary (``DREQ#…``)."""
    pk, sk = _key(record)
    if sk != "VIEW" or record.get("eventName") == "REMOVE" or not pk.startswith(("CASE#", "DREQ#")):
        return None
    return pk.removeprefix("CASE#")  # a case by its number (as fault injection names it)


def _supervise(deps: Any, records: list[dict[str, Any]], marked: set[str] | None) -> None:
    from chalicelib.supervision.services import disclosure as disclosure_rules
    from chalicelib.supervision.services import rules

    if _key(records[-1])[0].startswith("DREQ#"):
        image = _image(records[-1]) or {}
        disclosure_rules.supervise_request(deps, json.loads(image["body"]["S"]))
    else:
        view = _latest_view(records)
        rules.supervise_view(deps, view, marked=marked is None or view.case_no in marked)


def _latest_view(records: list[dict[str, Any]]) -> CaseView:
    from chalicelib.cases.domain.case_view import CaseView

    image = _image(records[-1]) or {}
    return CaseView.model_validate(json.loads(image["body"]["S"]))


@bp.lambda_function(name="project_events")
def project_events(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Events stream → case projection (status, deadlines, timeline, counters, public result)."""
    from chalicelib.cases.services import projection

    deps = wiring.deps()
    order, members, first_seq = group_records(event.get("Records", []), _log_case)
    newest = {c: max(_seq(r) for r in members[c]) for c in order}
    try:  # the batch's views, log copies and new records in two reads; without them each case reads its own
        views: projection.Prefetched | None = projection.prefetch(deps, newest)
    except Exception:  # an optimisation only: the per-case reads stay correct
        log.exception("prefetching %d case views failed", len(order))
        views = None
    failed: list[str] = []
    plans = []
    for case_no in order:  # rebuild every case of the batch, then store them together
        try:
            _before("project", case_no)
            with wiring.span("project", case_no=case_no):
                planned = projection.plan_case(deps, case_no, views)
        except Exception:
            log.exception("project failed for %s", case_no)
            failed.append(first_seq[case_no])
            continue
        if planned is not None:
            plans.append(planned)
    for case_no in projection.commit_plans(deps.stores, plans):  # lost a race: one by one, re-reading
        try:
            projection.apply(deps, case_no)
        except Exception:
            log.exception("project failed for %s", case_no)
            failed.append(first_seq[case_no])
    return failures(failed)


@bp.lambda_function(name="supervise_cases")
def supervise_cases(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Cases stream → supervision rules R1–R14 (event-driven part) and the exceptions queue; requests
    for disclosure → R15."""
    from chalicelib.supervision.services import rules

    deps = wiring.deps()
    records = event.get("Records", [])
    cases = [k for k in group_records(records, _supervised)[0] if not k.startswith("DREQ#")]
    marked = rules.marked_cases(deps, cases) if cases else set()  # the batch's signal markers, one read
    return process_grouped(records, _supervised, lambda _key, recs: _supervise(deps, recs, marked), "supervise")


@bp.lambda_function(name="legal_check_cases")
def legal_check_cases(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Cases stream → legality checks L1–L11 (event-driven part)."""
    from chalicelib.legal.services import checks as legal_checks

    deps = wiring.deps()
    return process_grouped(event.get("Records", []), _view_case,
                           lambda _c, recs: legal_checks.legal_check_view(deps, _latest_view(recs)) and None,
                           "legal")
