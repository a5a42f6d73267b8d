"""The outside contract checks of ../shared/checks, run through this environment's `monitor` command."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from monitor.settings import PROJECT_ROOT

CONTRACT = PROJECT_ROOT.parent / "shared" / "checks" / "contract.py"
REQUIRED = os.environ.get("MONITOR_REQUIRE_CONTRACT") == "1"


def needs_contract(test: Callable[..., None]) -> Callable[..., None]:
    """Skip a test of the outside contract check when ../shared is not beside the project; in CI
    (MONITOR_REQUIRE_CONTRACT=1, set by .ci/run) fail instead, so the check cannot be lost quietly."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        if not CONTRACT.exists():
            message = f"outside contract check not found at {CONTRACT}"
            if REQUIRED:
                pytest.fail(message + " (MONITOR_REQUIRE_CONTRACT=1)")
            pytest.skip(message)
        test(*args, **kwargs)

    return run


def run_contract(what: str, db_url: str) -> subprocess.CompletedProcess[str]:
    """`contract.py WHAT` against the database at `db_url` (`catalogue` or `pace`)."""
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "MONITOR_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, str(CONTRACT), what], capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=180
    )
