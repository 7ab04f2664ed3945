"""Setup shared by the benchmarks: departments, confirmed items, and a department system client."""
from __future__ import annotations

from typing import Any

from tests.support.client import Api, DeptCreds
from tests.support.fixtures import license_item


def api_of(stack: Any) -> Api:
    return Api(stack.api_url, stack.admin_token)


def department(stack: Any, code: str) -> DeptCreds:
    return api_of(stack).department(code, f"基准测试部门{code}")


def declare_item(stack: Any, dept_code: str, seq: str) -> str:
    """A confirmed licence item (5/20 working days, steps 2+1+1) in force since 2010; its code."""
    api = api_of(stack)
    legal = api.user(f"bench-legal-{dept_code}-{seq}", ["legal"])
    item = license_item(dept_code, seq)
    api.declare_and_confirm(item, legal)
    return str(item["code"])
