"""pytest shows DeprecationWarnings raised from Sunlit's own modules and keeps third-party ones quiet
(pyproject.toml ``filterwarnings``)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = '''
import warnings


def test_probe():
    warnings.warn_explicit("sunlit-own-deprecation", DeprecationWarning, "chalicelib/x.py", 1,
                           module="chalicelib.services.x")
    warnings.warn_explicit("client-own-deprecation", DeprecationWarning, "sunlit_client/x.py", 1,
                           module="sunlit_client.cli")
    warnings.warn_explicit("third-party-deprecation", DeprecationWarning, "botocore/x.py", 1,
                           module="botocore.auth")
'''


def test_own_deprecations_are_shown_and_third_party_ones_are_not(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe_warnings.py"
    probe.write_text(PROBE, "utf-8")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c",
                          str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), str(probe)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "sunlit-own-deprecation" in run.stdout and "client-own-deprecation" in run.stdout
    assert "third-party-deprecation" not in run.stdout
