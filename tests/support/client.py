"""A small HTTP client for tests: bearer tokens for staff, HMAC signatures for departments."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import requests
from sunlit_client.signing import sign_request


@dataclass
class DeptCreds:
    code: str
    key_id: str
    secret: str
    region_code: str = "320300"


class Api:
    def __init__(self, base_url: str, admin_token: str):
        self.base = base_url.rstrip("/")
        self.admin_token = admin_token
        self.http = requests.Session()
        self._reader: str | None = None

    def call(self, method: str, path: str, body: Any = None, token: str | None = None,
             params: dict[str, Any] | None = None, raw: bytes | None = None,
             headers: dict[str, str] | None = None) -> requests.Response:
        hdrs = dict(headers or {})
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode() if body is not None
                                            else None)
        if data is not None:
            hdrs.setdefault("Content-Type", "application/json")
        return self.http.request(method, self.base + path, data=data, params=params, headers=hdrs, timeout=60)

    def get(self, path: str, token: str | None = None, **params: Any) -> requests.Response:
        return self.call("GET", path, token=token, params=params or None)

    def post(self, path: str, body: Any, token: str | None = None) -> requests.Response:
        return self.call("POST", path, body, token=token)

    def admin(self, method: str, path: str, body: Any = None) -> requests.Response:
        return self.call(method, path, body, token=self.admin_token)

    def signed(self, dept: DeptCreds, method: str, path: str, body: Any, *, timestamp: int | None = None,
               secret: str | None = None, key_id: str | None = None) -> requests.Response:
        data = json.dumps(body, ensure_ascii=False).encode()
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = sign_request(secret or dept.secret, ts, method, path, data)
        return self.call(method, path, raw=data, headers={"X-Sunlit-Key": key_id or dept.key_id,
                                                          "X-Sunlit-Timestamp": ts, "X-Sunlit-Signature": sig})

    def post_events(self, dept: DeptCreds, events: list[dict[str, Any]]) -> requests.Response:
        return self.signed(dept, "POST", "/exchange/events", {"events": events})

    # --- setup helpers ---------------------------------------------------------------------
    def department(self, code: str, name: str | None = None, region_code: str = "320300",
                   level: str = "city") -> DeptCreds:
        r = self.admin("POST", "/admin/departments", {"code": code, "name": name or f"测试部门{code}",
                                                      "region_code": region_code, "level": level})
        assert r.status_code == 201, r.text
        b = r.json()
        return DeptCreds(code=code, key_id=b["key_id"], secret=b["secret"], region_code=region_code)

    def user(self, username: str, roles: list[str], dept_code: str | None = None) -> str:
        body: dict[str, Any] = {"username": username, "roles": roles}
        if dept_code:
            body["dept_code"] = dept_code
        r = self.admin("POST", "/admin/users", body)
        assert r.status_code == 201, r.text
        return str(r.json()["token"])

    @property
    def reader(self) -> str:
        """A supervision bureau (监察局) token, made once: it reads every department's cases and
        signals. Administrators do not read case data (issue 14), so tests read as this."""
        if self._reader is None:
            import secrets

            self._reader = self.user(f"test-reader-{secrets.token_hex(4)}", ["supervisor"])
        return self._reader

    def declare_and_confirm(self, item: dict[str, Any], legal_token: str, effective_from: str = "2010-01-01") -> int:
        r = self.admin("POST", "/catalog/items", item)
        assert r.status_code == 201, r.text
        version = int(r.json()["version"])
        r = self.post(f"/catalog/items/{r.json()['code']}/versions/{version}/confirm",
                      {"effective_from": effective_from}, token=legal_token)
        assert r.status_code == 200, r.text
        return version
