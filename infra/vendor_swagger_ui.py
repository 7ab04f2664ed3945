"""Vendor Swagger UI (the API docs page of the hall, ``hall/apidocs/``) from the npm registry.

    python infra/vendor_swagger_ui.py            # check the committed files against the pins below
    python infra/vendor_swagger_ui.py --fetch    # (re)fetch VERSION with `npm pack`, verify, copy

The page loads nothing from a CDN at run time: the bundle and its stylesheet are committed under
``hall/apidocs/vendor/swagger-ui/`` and published with the hall. ``--fetch`` takes the package with
the ordinary npm client, checks the tarball against the registry's ``sha512`` integrity pinned
here, and copies only what the page uses (no source maps, no standalone preset) with the licence.
To move to a new release: change VERSION and INTEGRITY, run ``--fetch``, update FILES from its
output, look at the page (tests/e2e/test_apidocs.py writes a screenshot) and commit.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "hall" / "apidocs" / "vendor" / "swagger-ui"
PACKAGE = "swagger-ui-dist"
VERSION = "5.35.0"
#: ``npm view swagger-ui-dist@VERSION dist.integrity``
INTEGRITY = "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ=="
#: The files the page uses, with their SHA-256 as shipped in that tarball.
FILES = {
    "LICENSE": "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30",
    "NOTICE": "0d20d1adef18aee3f40dd258172155521ce702ac445cb5f7b7d60ed32dad2fb2",
    "swagger-ui-bundle.js": "e6a898692f2d768e807c3ba4626068a69a2c5dd960dd6c76f3e4d3a3de180af2",
    "swagger-ui-bundle.js.LICENSE.txt": "37eb6e7e59aed57b2c1acf076574b818ea07b74265717e0bd67b59e0baf9abbb",
    "swagger-ui.css": "5ed08757e53da3e026d6cbecc61fe5d43585c9560b302d534ad56692519a273d",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--json", "--pack-destination", tmp],
                             check=True, capture_output=True, text=True, cwd=tmp)
        name = json.loads(out.stdout)[0]["filename"]
        tarball = (Path(tmp) / name).read_bytes()
        algo, _, digest = INTEGRITY.partition("-")
        if base64.b64encode(hashlib.new(algo, tarball).digest()).decode() != digest:
            raise SystemExit(f"{name}: integrity does not match the pinned {INTEGRITY}")
        TARGET.mkdir(parents=True, exist_ok=True)
        found = {}
        with tarfile.open(Path(tmp) / name) as tar:
            for file in FILES:
                member = tar.extractfile(f"package/{file}")
                assert member is not None, file
                data = member.read()
                (TARGET / file).write_bytes(data)
                found[file] = sha256(data)
        return found


def check() -> list[str]:
    """What differs between the committed files and the pins (empty when they agree)."""
    problems = []
    for file, digest in FILES.items():
        path = TARGET / file
        if not path.is_file():
            problems.append(f"{file}: missing")
        elif sha256(path.read_bytes()) != digest:
            problems.append(f"{file}: sha256 differs from {PACKAGE}@{VERSION}")
    extra = sorted(p.name for p in TARGET.iterdir() if p.name not in FILES) if TARGET.is_dir() else []
    problems += [f"{name}: not part of the vendored set" for name in extra]
    return problems


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetch", action="store_true", help="fetch the pinned release with npm and copy it")
    args = parser.parse_args(argv)
    if args.fetch:
        print(json.dumps(fetch(), indent=4))
        return
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise SystemExit(1)
    print(f"{PACKAGE}@{VERSION}: {len(FILES)} files as pinned")


if __name__ == "__main__":
    main()
