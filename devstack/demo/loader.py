"""Load the demo city into a running Sunlit through its public HTTP API only (docs/CONTRACT.md §2–§7).

Nothing here touches tables or queues: departments, users, officers, the catalog, the event
stream, complaints and evaluations all go in the way a real city's systems and people would send
them, so the demo exercises the same paths as production.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from sunlit_client.signing import signed_headers

from devstack.demo import disclosure
from devstack.demo.generator import DemoCity
from devstack.demo.points import SERVICE_POINTS

MAX_BATCH = 500  # the contract's limit per request
BATCH = 100  # what the loader sends: smaller batches keep each request well inside the timeout
TIMEOUT_S = 300.0
RETRIES = 2  # only for the exchange, where re-sending is harmless (same event_id → "duplicate")


class DemoLoadError(RuntimeError):
    """A request of the demo load failed; the message names the request and the answer."""


class _Api:
    def __init__(self, base_url: str, session: requests.Session, clock: Callable[[], float]):
        self.base = base_url.rstrip("/")
        self.http = session
        self.clock = clock

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        ok: tuple[int, ...] = (200, 201),
        sign_with: tuple[str, str] | None = None,
        retries: int = 0,
    ) -> Any:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in range(retries + 1):
            if sign_with:  # signed afresh on every attempt: the timestamp must be current
                headers.update(
                    signed_headers(sign_with[0], sign_with[1], method, path, data, timestamp=int(self.clock()))
                )
            try:
                resp = self.http.request(
                    method, self.base + path, data=data or None, headers=headers, timeout=TIMEOUT_S
                )
                break
            except requests.RequestException as exc:
                if attempt >= retries:
                    raise DemoLoadError(f"演示数据加载失败：{method} {path} 无法连接（{exc}）") from exc
        if resp.status_code not in ok:
            raise DemoLoadError(
                f"演示数据加载失败：{method} {path} 返回 HTTP {resp.status_code}：{resp.text[:800]}"
            )
        if not resp.content:
            return None
        try:
            return resp.json()
        except ValueError as exc:
            raise DemoLoadError(
                f"演示数据加载失败：{method} {path} 的响应不是 JSON：{resp.text[:200]}"
            ) from exc


def _batches(events: list[dict[str, Any]], size: int = MAX_BATCH) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(events), size):
        yield events[i : i + size]


def _compact(body: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is empty (an anonymous complaint has no name)."""
    return {k: v for k, v in body.items() if v not in (None, "")}


def _split_history(events: list[dict[str, Any]], live_after: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Old events get the receipt time of their legacy system: minutes after they happened, and for
    one in forty (deterministically) a day and a half late, so timeliness rules have real examples."""
    history: list[dict[str, Any]] = []
    live: list[dict[str, Any]] = []
    for ev in events:
        occurred = datetime.fromisoformat(ev["occurred_at"])
        if occurred >= live_after:
            live.append(ev)
            continue
        late = int(hashlib.sha256(ev["event_id"].encode()).hexdigest(), 16) % 40 == 0
        received = occurred + (timedelta(hours=30) if late else timedelta(minutes=10))
        history.append({**ev, "received_at": min(received, live_after).isoformat()})
    return history, live


def load(
    base_url: str,
    admin_token: str,
    city: DemoCity,
    log: Callable[[str], None] = print,
    *,
    session: requests.Session | None = None,
    clock: Callable[[], float] = time.time,
    batch_size: int = BATCH,
    history_before: datetime | None = None,
) -> dict[str, Any]:
    """Push ``city`` into the API at ``base_url``; return counts, credentials and user tokens.

    Raises ``DemoLoadError`` on the first request that does not succeed.
    ``batch_size`` (at most 500, the contract's limit) is the number of events per request.
    """
    batch_size = max(1, min(batch_size, MAX_BATCH))
    api = _Api(base_url, session or requests.Session(), clock)
    summary: dict[str, Any] = {"credentials": {}, "users": {}}

    # 1. Departments and their signing credentials (部门及其系统密钥).
    credentials: dict[str, dict[str, str]] = summary["credentials"]
    for dept in city.departments:
        got = api.call("POST", "/admin/departments", dept, token=admin_token, ok=(201,))
        credentials[dept["code"]] = {"key_id": got["key_id"], "secret": got["secret"]}
    summary["departments"] = len(credentials)
    log(f"demo: {len(credentials)} departments")

    # 1b. Service points (基层延伸): the county towns' 便民服务中心 and villages' 代办点 of the departments present.
    present = set(credentials)
    registered = 0
    for point in SERVICE_POINTS:
        depts = [d for d in point["dept_codes"] if d in present]
        if depts:
            api.call("POST", "/admin/service-points", _compact({**point, "dept_codes": depts}), token=admin_token,
                     ok=(201,))
            registered += 1
    summary["service_points"] = registered
    log(f"demo: {registered} service points")

    # 2. Users: the legal office (法制办), the supervision bureau (监察局), a handler and a head
    #    per department.
    users: dict[str, str] = summary["users"]
    wanted: list[dict[str, Any]] = [
        {"username": "fazhiban", "roles": ["legal"]},
        {"username": "jianchaju", "roles": ["supervisor"]},
    ]
    for dept in city.departments:
        wanted.append({"username": f"handler{dept['code']}", "roles": ["handler"], "dept_code": dept["code"]})
        wanted.append({"username": f"head{dept['code']}", "roles": ["dept_head"], "dept_code": dept["code"]})
    for user in wanted:
        got = api.call("POST", "/admin/users", user, token=admin_token, ok=(201,))
        users[got.get("username", user["username"])] = got["token"]
    legal = users["fazhiban"]
    log(f"demo: {len(users)} users")

    # 3. Enforcement officers (执法人员).
    for officer in city.officers:
        api.call("POST", "/legal/officers", officer, token=legal)
    summary["officers"] = len(city.officers)

    # 4. Catalog: declare every version, confirm the confirmed ones (version numbers come from the API).
    effective = {(c["code"], int(c["version"])): c["effective_from"] for c in city.confirmations}
    ordinal: dict[str, int] = {}
    declared = confirmed = 0
    for item in city.items:
        got = api.call("POST", "/catalog/items", item, token=admin_token, ok=(201,))
        declared += 1
        ordinal[item["code"]] = ordinal.get(item["code"], 0) + 1
        when = effective.get((item["code"], ordinal[item["code"]]))
        if when is None:
            continue  # pending: declared, awaiting the legal office
        code, version = got.get("code", item["code"]), got["version"]
        api.call(
            "POST", f"/catalog/items/{code}/versions/{version}/confirm", {"effective_from": when}, token=legal
        )
        confirmed += 1
    summary["items_declared"], summary["items_confirmed"] = declared, confirmed
    log(f"demo: {declared} item versions declared, {confirmed} confirmed")

    # 5. Repealed legal bases (依据废止).
    repealed = [b for b in city.bases if b.get("repealed_on")]
    for basis in repealed:
        api.call(
            "POST", f"/legal/bases/{basis['id']}/repeal", {"effective": basis["repealed_on"]}, token=legal
        )
    summary["bases_repealed"] = len(repealed)

    # 6. Case events. The months of history come in through the historical import (历史数据迁移)
    #    with the time each legacy system received them; the last two days are pushed live, signed
    #    by each department's own system (数据交换), as a running city would.
    outcome = {"sent": 0, "stored": 0, "duplicate": 0, "superseded": 0, "rejected": 0}
    rejected_examples: list[dict[str, Any]] = []
    started = time.monotonic()
    live_after = history_before or datetime.min.replace(tzinfo=UTC)
    for dept_code in sorted(city.events_by_dept):
        cred = credentials[dept_code]
        history, live = _split_history(city.events_by_dept[dept_code], live_after)
        sends = [(b, None) for b in _batches(history, batch_size)] + [
            (b, (cred["key_id"], cred["secret"])) for b in _batches(live, batch_size)]
        for batch, signer in sends:
            got = api.call(
                "POST",
                "/exchange/events" if signer else "/admin/import/events",
                {"events": batch},
                sign_with=signer,
                token=None if signer else admin_token,
                ok=(200,),
                retries=RETRIES,
            )
            outcome["sent"] += len(batch)
            for result in got.get("results", []):
                status = str(result.get("status"))
                outcome[status] = outcome.get(status, 0) + 1
                if status == "rejected" and len(rejected_examples) < 5:
                    rejected_examples.append(result)
        log(
            f"demo: events of {dept_code} sent ({outcome['sent']} so far, {time.monotonic() - started:.0f} s)"
        )
    summary["events"] = outcome
    log(f"demo: events {outcome}")
    if rejected_examples:
        log(f"demo: examples of rejected events: {json.dumps(rejected_examples, ensure_ascii=False)[:2000]}")
        summary["rejected_examples"] = rejected_examples

    # 7. The public side: complaints (投诉) and evaluations (满意度评价); the first complaint comes
    #    with a photo as evidence (an attachment).
    for i, complaint in enumerate(city.complaints):
        body = _compact(complaint)
        api.call("POST", "/complaints", disclosure.attach_to_complaint(api, body) if i == 0 else body)
    summary["complaints"] = len(city.complaints)
    for ev in city.evaluations:
        api.call(
            "POST", f"/cases/{ev['case_no']}/evaluation", {"password": ev["password"], "rating": ev["rating"]}
        )
    summary["evaluations"] = len(city.evaluations)
    log(f"demo: {summary['complaints']} complaints, {summary['evaluations']} evaluations")

    # 8. 政府信息公开: directories, requests in every state, attachments; and an online application
    #    with its scanned documents attached.
    from devstack.stack import busiest_department  # the demo staff's department (stack.load_demo)

    loaded = disclosure.load(api, users, city.anchor, log, focus=busiest_department(city))
    summary["disclosure_requests"] = loaded.requests
    if any(i["code"] == disclosure.APPLICATION_ITEM for i in city.items):
        summary["application_with_attachments"] = disclosure.apply_with_attachments(
            api, disclosure.APPLICATION_ITEM)
    return summary
