"""Cold start (issue 9): importing the whole app in a fresh interpreter, against importing only
chalice and boto3 (what any Chalice Lambda pays). Target ≤ 1.35x (issue 20: with the identity and
document features in). That importing ``app`` creates
no AWS client is asserted by ``tests/unit/test_import_side_effects.py``, not here.

Both sides import bytecode, as they do in the deployed function: pip compiled the libraries when
it installed them, and ``infra/bytecode.py`` compiles ``chalicelib`` the way ``make package``
ships it (checked-hash ``.pyc`` inside the deployment zip).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from infra.bytecode import compile_app

from .result import Result

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
TARGET = 1.35
APP = "import app"
FLOOR = "import chalice, boto3"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUNLIT_")}
    env.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "PYTHONDONTWRITEBYTECODE": "1"})
    env["PYTHONPATH"] = str(ROOT)
    return env


def import_seconds(statement: str) -> float:
    """Wall time of a fresh ``python -c statement`` (interpreter start included, as in a Lambda)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], cwd=ROOT, env=_env(), check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run(runs: int = RUNS) -> Result:
    if not compile_app(ROOT):
        raise RuntimeError("chalicelib does not compile")
    import_seconds(APP)  # warm the file-system cache for both, so neither pays for the first read
    import_seconds(FLOOR)
    app_samples: list[float] = []
    floor_samples: list[float] = []
    for _ in range(runs):  # interleaved, so machine load drifts affect both alike
        app_samples.append(import_seconds(APP))
        floor_samples.append(import_seconds(FLOOR))
    app_s, floor_s = statistics.median(app_samples), statistics.median(floor_samples)
    return Result(
        name="cold start", measured=app_s * 1000, floor=floor_s * 1000, unit="ms", ratio=app_s / floor_s,
        target=TARGET, what=f"python -c '{APP}', median of {runs}", floor_what=f"python -c '{FLOOR}'",
        details={"app_ms": [round(s * 1000, 1) for s in app_samples],
                 "floor_ms": [round(s * 1000, 1) for s in floor_samples]},
    )
