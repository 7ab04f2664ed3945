"""Compile the application's bytecode before packaging (deployment cold start).

Lambda's ``/var/task`` is read-only, so a deployment package that ships only ``.py`` sources makes
every cold start compile the whole of ``chalicelib`` again (≈80 ms here, a third of the import).
pip already compiles the libraries it installs; this does the same for our own code, and
``chalice package`` then zips ``chalicelib/**/__pycache__`` with the sources.

The ``.pyc`` files are *checked-hash* (PEP 552): Python validates them against a hash of the
source instead of its mtime, so they stay correct after zip extraction (which rounds mtimes) and
can never go stale in a working tree — an edited module is simply recompiled.

The libraries Chalice vendors into the zip (pydantic, pynamodb, boto3…) come from wheels, which
carry no bytecode either; ``--zip`` adds the same checked-hash ``.pyc`` for every module in a
built deployment package.

Usage: ``python infra/bytecode.py`` (run by ``make package`` before ``chalice package`` and by the
cold-start benchmark); ``python infra/bytecode.py --zip build/package/deployment.zip`` after it.
"""
from __future__ import annotations

import argparse
import compileall
import py_compile
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("chalicelib",)


def drop_orphans(root: Path = ROOT) -> int:
    """Remove bytecode whose module is gone (moved or deleted): ``chalice package`` zips every
    ``__pycache__``, and Python would import an orphaned ``.pyc`` beside a missing source."""
    dropped = 0
    for name in SOURCES:
        for pyc in (root / name).rglob("__pycache__/*.pyc"):
            if not (pyc.parent.parent / f"{pyc.name.split('.', 1)[0]}.py").exists():
                pyc.unlink()
                dropped += 1
    return dropped


def compile_app(root: Path = ROOT) -> bool:
    """Write checked-hash bytecode for ``chalicelib`` (and ``app.py``); True when all compiled."""
    drop_orphans(root)
    mode = py_compile.PycInvalidationMode.CHECKED_HASH
    # force: an up-to-date timestamp pyc left by an ordinary import would otherwise be kept (and shipped)
    ok = bool(compileall.compile_file(str(root / "app.py"), quiet=1, force=True, invalidation_mode=mode))
    for name in SOURCES:
        ok = bool(compileall.compile_dir(str(root / name), quiet=1, force=True, invalidation_mode=mode)) and ok
    return ok


def _checked_hash(pyc: Path) -> bool:
    """A PEP 552 pyc validated against its source's hash (flags word 0b11)."""
    with pyc.open("rb") as f:
        return int.from_bytes(f.read(8)[4:8], "little") == 0b11


def compile_zip(bundle: Path) -> int:
    """Add checked-hash bytecode for every ``.py`` in a deployment zip (replacing timestamp pycs);
    returns the modules compiled.

    Modules that do not compile for this Python (a vendored file for another version) are left as
    sources, as the interpreter would on import.
    """
    mode = py_compile.PycInvalidationMode.CHECKED_HASH
    tag = sys.implementation.cache_tag
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "unpacked"
        with zipfile.ZipFile(bundle) as source:
            names = source.namelist()
            present = set(names)
            source.extractall(work)
        added: list[str] = []
        compiled = 0
        for name in names:
            if not name.endswith(".py"):
                continue
            folder, _, file = name.rpartition("/")
            pyc = f"{folder + '/' if folder else ''}__pycache__/{file[:-3]}.{tag}.pyc"
            if pyc in present and _checked_hash(work / pyc):
                continue
            try:
                py_compile.compile(str(work / name), cfile=str(work / pyc), doraise=True, invalidation_mode=mode)
            except py_compile.PyCompileError:
                continue
            compiled += 1
            if pyc not in present:
                added.append(pyc)
        rebuilt = Path(tmp) / "deployment.zip"
        with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():  # the original entries keep their metadata (permission bits)
                target.writestr(info, (work / info.filename).read_bytes() if not info.is_dir() else b"")
            for name in added:
                target.write(work / name, name)
        shutil.move(rebuilt, bundle)
    return compiled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--zip", type=Path, help="add bytecode to this deployment package instead")
    args = parser.parse_args(argv)
    if args.zip:
        print(f"{compile_zip(args.zip)} modules compiled into {args.zip}")
        return 0
    return 0 if compile_app() else 1


if __name__ == "__main__":
    sys.exit(main())
