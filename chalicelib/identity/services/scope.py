"""Resolve a principal's region scope (docs/CONTRACT.md §2 v2) from the department directory.

The predicate is pure (:mod:`chalicelib.identity.domain.scope`); this fills in the departments of
the principal's region once per request, so every service below asks ``principal.scope`` and
nothing else. Departments are few (one record each), read with one query.
"""
from __future__ import annotations

from dataclasses import replace

from chalicelib.kernel.ports import Stores

from ..domain import roles as R
from ..domain.scope import departments_in
from ..repositories import Departments


def with_region_scope(stores: Stores, principal: R.Principal) -> R.Principal:
    """``principal`` with the departments of its region resolved (unchanged when not region-scoped)."""
    if not principal.is_region_scoped or principal.region_code is None:
        return principal
    return replace(principal, region_depts=departments_in(principal.region_code, Departments(stores).all()))
