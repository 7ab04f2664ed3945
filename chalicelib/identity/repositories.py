"""Repositories of the identity table: each owns its key scheme.

| Aggregate | Key (pk / sk) | Index |
|---|---|---|
| user | ``USER#{username}`` / ``META`` | gsi1 ``USERS`` / username |
| external id (OIDC) | ``EXT#{claim value}`` / ``META`` → username | |
| session | ``SESSION#{sid}`` / ``META`` | gsi1 ``USERSESS#{username}`` / created |
| department | ``DEPT#{code}`` / ``META`` | gsi1 ``DEPTS`` / code |
| department key | ``KEY#{key_id}`` / ``META`` (secret encrypted) | gsi1 ``DEPTKEYS#{code}`` / created |
| setting | ``CONFIG#{name}`` / ``META`` | |

Writes that change state are conditional on the record's version (``expected_version``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.kernel.errors import ConflictError
from chalicelib.kernel.ports import ConditionFailedError, Item, RecordStore, Stores

MAX_ATTEMPTS = 8


class Versioned:
    """A record's body and the version it was read at (a plain class: cheap at import)."""

    __slots__ = ("body", "version")

    def __init__(self, body: dict[str, Any], version: int | None):
        self.body = body
        self.version = version


class _Repo:
    prefix = ""

    def __init__(self, stores: Stores):
        self.table: RecordStore = stores.table("identity")

    def _pk(self, key: str) -> str:
        return f"{self.prefix}#{key}"

    def get(self, key: str) -> Versioned | None:
        item = self.table.get(self._pk(key), "META")
        return Versioned(item.body, item.version) if item else None

    def _index(self, key: str, body: dict[str, Any]) -> tuple[str | None, str | None]:
        return None, None

    def create(self, key: str, body: dict[str, Any]) -> Versioned:
        """Insert; ``ConditionFailedError`` when it exists."""
        gsi1pk, gsi1sk = self._index(key, body)
        saved = self.table.put(Item(pk=self._pk(key), sk="META", body=body, gsi1pk=gsi1pk, gsi1sk=gsi1sk),
                               if_absent=True)
        return Versioned(saved.body, saved.version)

    def save(self, key: str, current: Versioned) -> Versioned:
        """Replace at the version read; ``ConditionFailedError`` when it changed since."""
        gsi1pk, gsi1sk = self._index(key, current.body)
        saved = self.table.put(Item(pk=self._pk(key), sk="META", body=current.body, gsi1pk=gsi1pk, gsi1sk=gsi1sk),
                               expected_version=current.version)
        return Versioned(saved.body, saved.version)

    def update(self, key: str, change: Callable[[dict[str, Any]], Any]) -> tuple[Versioned, Any] | None:
        """Read, apply ``change`` to a copy of the body, write back; retried when another writer
        won. ``change`` returns a value handed back with the record. None when absent."""
        for _ in range(MAX_ATTEMPTS):
            current = self.get(key)
            if current is None:
                return None
            body = dict(current.body)
            result = change(body)
            try:
                return self.save(key, Versioned(body, current.version)), result
            except ConditionFailedError:
                continue
        raise ConflictError("记录正在被其他请求修改，请重试")


class Users(_Repo):
    prefix = "USER"

    def _index(self, key: str, body: dict[str, Any]) -> tuple[str | None, str | None]:
        return "USERS", key

    def page(self, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        got = self.table.query("USERS", index="gsi1", limit=limit, cursor=cursor)
        return [i.body for i in got.items], got.next

    def any_with_role(self, roles: set[str]) -> bool:
        return any(set(i.body.get("roles") or []) & roles for i in self.table.query_all("USERS", index="gsi1"))

    def of_dept(self, dept_code: str) -> list[dict[str, Any]]:
        """Every account of one department (a city has hundreds of staff, not millions: one index read)."""
        return [i.body for i in self.table.query_all("USERS", index="gsi1") if i.body.get("dept_code") == dept_code]


class ExternalIds(_Repo):
    prefix = "EXT"


class Sessions(_Repo):
    prefix = "SESSION"

    def _index(self, key: str, body: dict[str, Any]) -> tuple[str | None, str | None]:
        return f"USERSESS#{body['username']}", f"{body['created_at']:015.3f}#{key}"

    def of_user(self, username: str) -> list[Versioned]:
        return [Versioned(i.body, i.version) for i in self.table.query_all(f"USERSESS#{username}", index="gsi1")]

    def with_user(self, sid: str, username: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The session and its user in one round trip (BatchGetItem)."""
        got = self.table.get_many([(f"SESSION#{sid}", "META"), (f"USER#{username}", "META")])
        session, user = got.get((f"SESSION#{sid}", "META")), got.get((f"USER#{username}", "META"))
        return (session.body if session else None), (user.body if user else None)


class Departments(_Repo):
    prefix = "DEPT"

    def _index(self, key: str, body: dict[str, Any]) -> tuple[str | None, str | None]:
        return "DEPTS", key

    def all(self) -> list[dict[str, Any]]:
        return [i.body for i in self.table.query_all("DEPTS", index="gsi1")]


class DepartmentKeys(_Repo):
    prefix = "KEY"

    def _index(self, key: str, body: dict[str, Any]) -> tuple[str | None, str | None]:
        return f"DEPTKEYS#{body['dept_code']}", f"{body['created_at']}#{key}"

    def of_department(self, dept_code: str) -> list[Versioned]:
        return [Versioned(i.body, i.version) for i in self.table.query_all(f"DEPTKEYS#{dept_code}", index="gsi1")]


class Settings(_Repo):
    prefix = "CONFIG"
