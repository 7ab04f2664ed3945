"""The sites' copies of the catalog's code lists (``shared/util.js``) say what the domain says.

The hall and the console are static sites without a build step, so the category names and the
fields each category must fill in (``chalicelib/catalog/domain/items.py``) are written out in JavaScript
too. A declaration form missing a category's field fails at the API for every item of that
category; these tests keep the two copies equal."""

from __future__ import annotations

import json
import re
from pathlib import Path

from chalicelib.catalog.domain.items import CATEGORIES, CATEGORY_FIELDS

UTIL = Path(__file__).resolve().parents[2] / "shared" / "util.js"


def _object(name: str) -> str:
    """The source of ``export const NAME = {...};`` in shared/util.js."""
    text = UTIL.read_text("utf-8")
    match = re.search(rf"export const {name} = (\{{.*?\n\}});", text, re.S)
    assert match, f"{name} is not exported by shared/util.js"
    return match.group(1)


def _as_json(source: str) -> dict[str, object]:
    """The JavaScript object literal (unquoted keys, trailing commas) read as JSON."""
    quoted = re.sub(r"([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:", r'\1"\2":', source)
    return dict(json.loads(re.sub(r",(\s*[}\]])", r"\1", quoted)))


def test_every_category_has_its_chinese_name_in_the_sites() -> None:
    names = _as_json(_object("CATEGORY_NAMES"))
    assert {code: pair[0] for code, pair in names.items()} == CATEGORIES  # type: ignore[index]


def test_the_declaration_form_asks_for_exactly_the_fields_each_category_must_fill_in() -> None:
    fields = _as_json(_object("CATEGORY_FIELDS"))
    assert {cat: {key: pair[0] for key, pair in keys.items()} for cat, keys in fields.items()} == {  # type: ignore[attr-defined]
        cat: dict(keys) for cat, keys in CATEGORY_FIELDS.items()
    }


NAMES = UTIL.parents[1] / "console" / "js" / "names.js"


def test_every_action_the_api_offers_staff_has_its_chinese_name_in_the_console() -> None:
    # Given every action a task may offer, those beside the tasks, and every action name the API takes
    from typing import get_args

    from chalicelib.runtime.domain.actions import ActionName
    from chalicelib.runtime.domain.plan import SIDE_ACTIONS, TASK_ACTIONS

    offered = {a for actions in TASK_ACTIONS.values() for a in actions} | set(SIDE_ACTIONS) | set(get_args(ActionName))
    # Then the console names each in Chinese (a form's title and button never show the raw key, as 退回 once did)
    text = NAMES.read_text("utf-8")
    match = re.search(r"export const ACTIONS = (\{.*?\n\});", text, re.S)
    assert match, "ACTIONS is not exported by console/js/names.js"
    names = _as_json(match.group(1))
    missing = sorted(a for a in offered if a not in names)
    assert missing == []
    assert names["return_step"][0] == "退回上一环节"  # type: ignore[index]
    assert all(re.search(r"[\u4e00-\u9fff]", pair[0]) for pair in names.values())  # type: ignore[index]


def test_every_step_of_a_signals_history_has_its_chinese_name_in_the_console() -> None:
    # Given what a signal's or finding's history records (explain, the disposition's decision, withdraw…)
    records = Path(__file__).resolve().parents[2] / "chalicelib" / "supervision" / "domain" / "records.py"
    written = set(re.findall(r'self\._note\([^,]+,\s*[^,]+,\s*"([a-z_]+)"', records.read_text("utf-8")))
    assert {"explain", "withdraw", "explanation_overdue"} <= written
    match = re.search(r"export const RECORD_ACTIONS = (\{.*?\n\});", NAMES.read_text("utf-8"), re.S)
    assert match, "RECORD_ACTIONS is not exported by console/js/names.js"
    # Then the console's history line names each, and each decision of a disposition, in Chinese
    names = _as_json(match.group(1))
    from typing import get_args

    from chalicelib.supervision.services.oversight import DisposeIn

    decisions = set(get_args(DisposeIn.model_fields["decision"].annotation))
    assert sorted((written | decisions) - names.keys()) == []
