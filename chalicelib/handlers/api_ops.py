"""Operations routes (运维): the stream dead-letter queue — list parked batches, replay them."""
from __future__ import annotations

from typing import Any

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.identity.domain.roles import SYSTEM_ADMIN

from .. import wiring
from . import streams
from .coldstart import first_invocation_without_collector
from .http import Ctx, contract_errors, route

bp = Blueprint(__name__)
#: The answers' models, loaded on first use (a cold start builds none of them).
ANSWERS = "chalicelib.handlers.answers.ops"
# App-wide (a blueprint's middleware applies to every route once registered): Chalice's own
# 405/415/500 answers get the contract's error shape.
bp.register_middleware(contract_errors, "http")
# Every kind of event: a cold instance's first invocation runs without the collector (coldstart.py).
bp.register_middleware(first_invocation_without_collector, "all")


class DlqQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="ignore")
    limit: int = Field(default=50, ge=1, le=500)


class ReplayIn(BaseModel):
    model_config = ConfigDict(defer_build=True, extra="forbid")
    max_messages: int = Field(default=50, ge=1, le=500)


def _consumers() -> dict[str, Any]:
    """Each consumer runs in its own function (and role), invoked with the parked records."""
    local = {"project_events": streams.project_events, "supervise_cases": streams.supervise_cases,
             "legal_check_cases": streams.legal_check_cases}

    def consumer(name: str) -> Any:
        return lambda event, _context: wiring.invoke_function(name, event, local[name])

    return {name: consumer(name) for name in local}


@route(bp, "/admin/dlq", roles=(SYSTEM_ADMIN,), query=DlqQuery, tag="ops", response=f"{ANSWERS}:ParkedBatches",
       summary="Batches parked in the stream dead-letter queue after their retries ran out")
def parked(ctx: Ctx, query: DlqQuery) -> dict[str, Any]:
    return {"items": wiring.dead_letters().parked(query.limit), "next": None}


@route(bp, "/admin/dlq/replay", "POST", roles=(SYSTEM_ADMIN,), body=ReplayIn, tag="ops", response=f"{ANSWERS}:ReplayReport",
       summary="Re-deliver parked batches to their consumer; a batch leaves the queue only once it succeeds")
def replay(ctx: Ctx, body: ReplayIn) -> dict[str, Any]:
    return wiring.dead_letters().replay(_consumers(), body.max_messages).as_dict()
