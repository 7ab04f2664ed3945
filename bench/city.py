"""The city-size catalog in a benchmark stack: the data set's 40 departments through the API, its
3,040 items declared and confirmed through the catalog service in this process (the same validation
and records as ``POST /catalog/items`` and ``…/confirm``), with publication held back until the
end and then done once, as a migration would. ``SUNLIT_DEMO_SCALE=city make run`` loads the same
catalog through HTTP one confirmation at a time, which is slower.
"""
from __future__ import annotations

import time
from datetime import date
from typing import Any

from devstack.demo.city import generate_city

from .setup import api_of


def load_city_catalog(stack: Any) -> dict[str, Any]:
    from chalicelib import wiring
    from chalicelib.catalog import services as catalog
    from chalicelib.catalog.services import ConfirmIn
    from chalicelib.identity.domain.roles import BOOTSTRAP, Principal

    city = generate_city(cases=False)
    api = api_of(stack)
    started = time.perf_counter()
    for dept in city.departments:
        r = api.admin("POST", "/admin/departments", dept)
        if r.status_code not in (201, 409):
            raise RuntimeError(f"department {dept['code']}: HTTP {r.status_code} {r.text[:200]}")
    deps = wiring.deps()
    admin = BOOTSTRAP
    legal = Principal(kind="user", username="bench-legal", roles=frozenset({"legal"}))
    effective = {(c["code"], int(c["version"])): c["effective_from"] for c in city.confirmations}
    ordinal: dict[str, int] = {}
    publish = catalog.publish
    catalog.publish = lambda *a, **k: {"shards": 0, "items": 0}  # type: ignore[assignment]
    try:
        for item in city.items:
            got = catalog.declare(deps, admin, item)
            ordinal[item["code"]] = ordinal.get(item["code"], 0) + 1
            when = effective.get((item["code"], ordinal[item["code"]]))
            if when:
                catalog.confirm(deps, legal, got["code"], got["version"],
                                ConfirmIn(effective_from=date.fromisoformat(when)))
    finally:
        catalog.publish = publish  # type: ignore[assignment]
    loaded = time.perf_counter() - started
    t = time.perf_counter()
    catalog.all_versions(deps, fresh=True)
    read_all = time.perf_counter() - t
    t = time.perf_counter()
    written = catalog.publish(deps)
    published = time.perf_counter() - t
    return {"departments": len(city.departments), "items": len({i["code"] for i in city.items}),
            "load_seconds": round(loaded, 1), "full_publication_seconds": round(published, 2),
            "full_publication_wrote": written, "read_whole_catalog_seconds": round(read_all, 2)}
