"""Query passwords as stored and checked (cases/services/query_passwords.py), with time as an input."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.cases.services import query_passwords as qp
from chalicelib.kernel.errors import RateLimitedError
from tests.support.memory import MemoryStores

KEY = b"platform-key"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_the_stored_form_is_keyed_bound_to_the_case_and_never_the_password() -> None:
    stored = qp.hash_password("CASE-1", "Kq7secret", KEY)
    assert "Kq7secret" not in stored
    assert stored != qp.hash_password("CASE-2", "Kq7secret", KEY)  # same password, other case
    assert stored != qp.hash_password("CASE-1", "Kq7secret", b"another-key")  # useless without the key
    assert qp.matches("CASE-1", stored, "Kq7secret", KEY)
    assert not qp.matches("CASE-1", stored, " Kq7secret", KEY)  # exactly as issued
    assert not qp.matches("CASE-1", stored, "kq7secret", KEY)
    assert not qp.matches("CASE-1", None, "Kq7secret", KEY)
    assert not qp.matches("CASE-1", stored, "", KEY)


def test_protect_replaces_the_password_by_its_hash_and_keeps_everything_else() -> None:
    data = {"status": "accepted", "query_password": "Kq7secret", "queue_no": 3}
    stored = qp.protect(data, "CASE-1", KEY)
    assert stored == {"status": "accepted", "queue_no": 3,
                      "query_password_hash": qp.hash_password("CASE-1", "Kq7secret", KEY)}
    assert qp.protect({"status": "accepted"}, "CASE-1", KEY) == {"status": "accepted"}


def test_five_wrong_guesses_lock_the_case_for_a_quarter_of_an_hour() -> None:
    stores = MemoryStores()
    stored = qp.hash_password("CASE-1", "Kq7secret", KEY)
    for n in range(5):
        assert not qp.matches("CASE-1", stored, f"guess{n}", KEY)
        qp.record_failure(stores, "CASE-1", T0 + timedelta(seconds=n))  # type: ignore[arg-type]
    for later in (timedelta(minutes=1), timedelta(minutes=14)):
        with pytest.raises(RateLimitedError) as err:
            qp.check_lock(stores, "CASE-1", T0 + later)  # type: ignore[arg-type]
        assert err.value.code == "QUERY_LOCKED" and "分钟" in err.value.message
    qp.check_lock(stores, "CASE-1", T0 + timedelta(minutes=16))  # type: ignore[arg-type]
    qp.check_lock(stores, "CASE-2", T0 + timedelta(minutes=1))  # type: ignore[arg-type]  # other cases unaffected


def test_four_wrong_guesses_do_not_lock() -> None:
    stores = MemoryStores()
    for n in range(4):
        qp.record_failure(stores, "CASE-1", T0 + timedelta(seconds=n))  # type: ignore[arg-type]
    qp.check_lock(stores, "CASE-1", T0 + timedelta(minutes=1))  # type: ignore[arg-type]
