"""The hash-locked requirements: every dependency pinned with hashes, the lock in step with its
input (someone added to requirements.in but did not run `make lock`), runtime versions the same in
the runtime and the development lock, and moto on the minor version devstack was written against."""
from __future__ import annotations

import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def locked(name: str) -> dict[str, str]:
    """name → pinned version; asserts every entry has ==version and at least one sha256 hash."""
    text = (ROOT / name).read_text("utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
    pins: dict[str, str] = {}
    for entry in entries:
        if entry.startswith("#") or not entry.strip():
            continue
        head = entry.split("\\", 1)[0].strip()
        assert "==" in head, f"{name}: {head!r} is not pinned"
        assert "--hash=sha256:" in entry, f"{name}: {head!r} has no hash"
        pkg, version = head.split("==", 1)
        pins[canonicalize_name(pkg)] = version.split(";")[0].strip()
    return pins


def inputs(name: str) -> list[Requirement]:
    out = []
    for line in (ROOT / name).read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            out.append(Requirement(line))
    return out


def test_the_locks_pin_every_package_with_hashes_and_follow_their_inputs() -> None:
    runtime, dev = locked("requirements.txt"), locked("requirements-dev.txt")
    stale = []
    for source, lock in (("requirements.in", runtime), ("requirements-dev.in", dev)):
        for req in inputs(source):
            pinned = lock.get(canonicalize_name(req.name))
            if pinned is None or (req.specifier and pinned not in req.specifier):
                stale.append(f"{source}: {req} → locked {pinned}")
    for req in inputs("requirements.in"):
        pinned = dev.get(canonicalize_name(req.name))
        if pinned is None:
            stale.append(f"requirements-dev.txt lacks runtime dependency {req.name}")
    assert not stale, "run `make lock`:\n" + "\n".join(stale)
    # the runtime libraries are the same versions in development and in the Lambda package
    assert {k: v for k, v in dev.items() if k in runtime} == runtime
    assert dev["moto"].startswith("5.2.")
