"""Hostile files: time and peak memory of `monitor import` refusing them, against a normal file.

    .venv/bin/python bench/hostile_bench.py                       # this checkout's code
    .venv/bin/python bench/hostile_bench.py --checkout OTHER      # another checkout (e.g. before a change)

Builds, in a temporary folder, the files of tests/imports/hostile.py at full size:

  bomb        an .xlsx of a few MB that inflates to 1,300 MB of sheet XML
  rows        an .xlsx of 1,000,000 data rows without a <dimension> (the rows must be counted)
  rows+dim    the same with <dimension ref="A1:C1000001"/> (refused from the sheet's head)
  normal      a 10-row department workbook (the baseline, accepted)

and runs `python -m monitor import FILE` for each in its own process against a fresh SQLite
database, printing wall time, peak memory (ru_maxrss of that process, via wait4) and the ratio to
the normal file. A run that passes --timeout seconds is killed and reported as such. Nothing is
asserted: the tests check what bounds the work, this script says what it costs.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.imports.conftest import write_xlsx  # noqa: E402 - the builders the tests use
from tests.imports.hostile import inflating_workbook, many_rows_workbook  # noqa: E402


def run(checkout: Path, db: Path, path: Path, timeout: float) -> tuple[str, float, float, int | None]:
    """(outcome, seconds, peak MB, exit code) of one `monitor import` in its own process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--db", f"sqlite:///{db}", "import", str(path)],
        cwd=checkout,  # `python -m` imports the package of the working folder
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            seconds = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            return ("accepted" if code == 0 else "refused"), seconds, usage.ru_maxrss / 1024, code
        if time.perf_counter() > deadline:
            child.send_signal(signal.SIGKILL)
            _, status, usage = os.wait4(child.pid, 0)
            return "killed at timeout", time.perf_counter() - start, usage.ru_maxrss / 1024, None
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the project folder whose `monitor` is measured")
    parser.add_argument("--bomb-mb", type=int, default=1300)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "m.db"
        init = [sys.executable, "-m", "monitor", "--db", f"sqlite:///{db}", "init"]
        subprocess.run(init, cwd=args.checkout, check=True, stdout=subprocess.DEVNULL)
        files = {"normal": write_xlsx(folder, "normal.xlsx", [["revenue", "", "2021-05", "33.56", "", "17.8", ""]])}
        built = time.perf_counter()
        for name, data in (
            ("bomb", inflating_workbook(args.bomb_mb)),
            ("rows", many_rows_workbook(args.rows)),
            ("rows+dim", many_rows_workbook(args.rows, dimension=f"A1:C{args.rows + 1}")),
        ):
            files[name] = folder / f"{name}.xlsx"
            files[name].write_bytes(data)
        print(f"built the files in {time.perf_counter() - built:.1f} s; code of {args.checkout}")
        sizes = {name: path.stat().st_size for name, path in files.items()}
        results = {name: run(args.checkout, db, path, args.timeout) for name, path in files.items()}
    _, base_s, base_mb, _ = results["normal"]
    print(f"{'file':<10} {'size':>9} {'outcome':<18} {'seconds':>8} {'×normal':>8} {'peak MB':>8} {'×normal':>8}")
    for name, (outcome, seconds, peak, _) in results.items():
        print(
            f"{name:<10} {sizes[name] / 1048576:>7.1f}MB {outcome:<18} {seconds:>8.2f} {seconds / base_s:>8.2f}"
            f" {peak:>8.0f} {peak / base_mb:>8.2f}"
        )


if __name__ == "__main__":
    main()
