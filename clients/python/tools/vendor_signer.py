"""Vendor the request signer into Chalice's ``vendor/`` folder before ``chalice package``.

The API verifies department signatures with ``sunlit_client.signing`` (the one signer). The client
package is installed editable for development, not from ``requirements.txt``, so ``make package``
copies the modules the Lambda functions import — the package's ``__init__`` and ``signing``, which
need only the standard library — into ``vendor/sunlit_client/``; Chalice adds ``vendor/`` to the
root of the deployment zip. The CLI, Excel and Word modules (click, openpyxl, docxtpl) stay out of
the Lambda package.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "clients" / "python" / "sunlit_client"
MODULES = ("__init__.py", "signing.py", "py.typed")


def vendor(root: Path = ROOT) -> Path:
    target = root / "vendor" / "sunlit_client"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in MODULES:
        shutil.copy2(SOURCE / name, target / name)
    return target


if __name__ == "__main__":
    print(f"vendored the signer into {vendor()}")
    sys.exit(0)
