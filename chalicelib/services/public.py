"""Public (no login) reads for the hall: password check, throttling, results, statistics."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from ..domain.case_view import CaseView
from ..domain.errors import RateLimitedError
from ..identity.services import departments as identity
from ..settings import get_settings
from . import query_passwords
from .ports import Stores


def password_ok(stores: Stores, case_no: str, view: CaseView | None, password: str | None,
                now: datetime | None = None) -> bool:
    """No password oracle: a wrong or missing password looks exactly like an unknown case (and both
    count towards the case number's lock, :mod:`query_passwords`)."""
    return query_passwords.verify(stores, case_no, view.query_password_hash if view else None, password, now)


def throttle(stores: Stores, bucket: str, client_ip: str, now: datetime | None = None) -> None:
    """Fixed-window rate limit per client address (per minute), shared by every Lambda instance."""
    limit = get_settings().public_rate_limit
    if limit <= 0:
        return
    at = now or datetime.now(UTC)
    ip_key = hashlib.sha256(client_ip.encode("utf-8")).hexdigest()[:16]  # no raw addresses stored
    count = stores.counters().hit(f"RATE#{bucket}#{ip_key}", at.strftime("%Y%m%d%H%M"))
    if count > limit:
        raise RateLimitedError("请求过于频繁，请稍后再试")


def results(stores: Stores, dept_code: str | None, category: str | None, kind: str | None, limit: int,
            cursor: str | None) -> dict[str, Any]:
    table = stores.table("cases")
    pk, index = (f"RESULTS#{dept_code}", "gsi1") if dept_code else ("RESULTS", "gsi2")
    names = {d["code"]: d["name"] for d in identity.list_departments(stores)}
    out: list[dict[str, Any]] = []
    nxt = cursor
    while len(out) < limit:
        page = table.query(pk, index=index, limit=limit - len(out), cursor=nxt, forward=False)
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


def department_stats(stores: Stores, period: str) -> list[dict[str, Any]]:
    rows = {r["dept_code"]: r for r in stores.counters().read(period)}
    departments = identity.list_departments(stores)
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
        })
    return out
