"""`sunlit admin bootstrap` as an administrator runs it: the installed console script, from the checkout
(its path holds the script's directory, not the checkout; the command must still find the platform's code)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_command_finds_the_bootstrap_from_the_checkout() -> None:
    script = Path(sys.executable).parent / "sunlit"
    done = subprocess.run([str(script), "admin", "bootstrap", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--system-admin" in done.stdout and "--audit-admin" in done.stdout
