"""The outside contract checks of ../shared/checks, run through this environment's `monitor` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.settings import PROJECT_ROOT

CONTRACT = PROJECT_ROOT.parent / "shared" / "checks" / "contract.py"
needs_contract = pytest.mark.skipif(not CONTRACT.exists(), reason="shared contract checks not beside the project")


def run_contract(what: str, db_url: str) -> subprocess.CompletedProcess[str]:
    """`contract.py WHAT` against the database at `db_url` (`catalogue` or `pace`)."""
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "MONITOR_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, str(CONTRACT), what], capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=180
    )
