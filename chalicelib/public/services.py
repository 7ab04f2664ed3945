"""Public (no login) reads for the hall: password check, throttling, results, statistics."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from chalicelib.cases.domain.case_view import CaseView
from chalicelib.cases.repositories import PublicResults
from chalicelib.cases.services import query_passwords
from chalicelib.catalog import services as catalog
from chalicelib.identity.services import departments as identity
from chalicelib.kernel.deps import Deps
from chalicelib.kernel.errors import RateLimitedError

from . import domain as masking


def password_ok(deps: Deps, case_no: str, view: CaseView | None, password: str | None,
                now: datetime | None = None) -> bool:
    """No password oracle: a wrong or missing password looks exactly like an unknown case (and both
    count towards the case number's lock, ``cases.services.query_passwords``)."""
    return query_passwords.verify(deps, case_no, view.query_password_hash if view else None, password, now)


def published_result(deps: Deps, view: CaseView) -> dict[str, Any] | None:
    """The published, masked result of a case (结果公开), with the violation its penalty item declares
    in the catalog (published instead of the case's own free-text cause)."""
    return masking.public_result(view, _violation(deps, view))


def _violation(deps: Deps, view: CaseView) -> str | None:
    if view.penalty is None or view.penalty.decision is None or view.item_bound_on is None:
        return None
    version = catalog.in_force(deps, view.item_code, view.item_bound_on)
    terms = version.item.penalty if version is not None else None
    return terms.violation if terms is not None else None


def throttle(deps: Deps, bucket: str, client_ip: str, now: datetime | None = None) -> None:
    """Fixed-window rate limit per client address (per minute), shared by every Lambda instance."""
    limit = deps.public_rate_limit
    if limit <= 0:
        return
    at = now or deps.now()
    ip_key = hashlib.sha256(client_ip.encode("utf-8")).hexdigest()[:16]  # no raw addresses stored
    count = deps.stores.counters().hit(f"RATE#{bucket}#{ip_key}", at.strftime("%Y%m%d%H%M"))
    if count > limit:
        raise RateLimitedError("请求过于频繁，请稍后再试")


def results(deps: Deps, dept_code: str | None, category: str | None, kind: str | None, limit: int,
            cursor: str | None) -> dict[str, Any]:
    published = PublicResults(deps.stores)
    names = {d["code"]: d["name"] for d in identity.list_departments(deps.stores)}
    out: list[dict[str, Any]] = []
    nxt = cursor
    while len(out) < limit:
        page = published.page(dept_code, limit - len(out), nxt)
        for it in page.items:
            b = it.body
            if category and b.get("category") != category.upper():
                continue
            if kind and b.get("kind") != kind:
                continue
            out.append({**b, "dept_name": names.get(b.get("dept_code", ""), "")})
        nxt = page.next
        if not nxt:
            break
    return {"items": out, "next": nxt if len(out) >= limit else None}


def department_stats(deps: Deps, period: str) -> list[dict[str, Any]]:
    rows = {r["dept_code"]: r for r in deps.stores.counters().read(period)}
    departments = identity.list_departments(deps.stores)
    out = []
    for d in sorted(departments, key=lambda d: d["code"]):
        r = rows.get(d["code"], {})
        concluded = int(r.get("concluded", 0))
        on_time = int(r.get("on_time", 0))
        evaluations = int(r.get("evaluations", 0))
        out.append({
            "dept_code": d["code"], "dept_name": d["name"], "level": d.get("level"),
            "received": int(r.get("received", 0)), "concluded": concluded, "on_time": on_time,
            "on_time_rate": round(on_time / concluded, 4) if concluded else None,
            "yellow": int(r.get("yellow", 0)), "red": int(r.get("red", 0)),
            "complaints": int(r.get("complaints", 0)),
            "evaluations": evaluations,
            "satisfaction_rate": round(int(r.get("satisfied", 0)) / evaluations, 4) if evaluations else None,
            "supplements": int(r.get("supplements", 0)),
            **_disclosure(r),
        })
    return out


def _disclosure(row: dict[str, Any]) -> dict[str, Any]:
    """政府信息公开 in the period: requests received, answered, and the share answered in time."""
    answered = int(row.get("disclosure_answered", 0))
    on_time = min(int(row.get("disclosure_on_time", 0)), answered)
    return {"disclosure_received": int(row.get("disclosure_received", 0)), "disclosure_answered": answered,
            "disclosure_on_time": on_time,
            "disclosure_on_time_rate": round(on_time / answered, 4) if answered else None}
