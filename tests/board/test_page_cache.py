"""The board's shared page cache (dash_app.page_cache) on a real diskcache folder, across real processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dash_app.page_cache import (
    SharedCache,
    do_not_store,
    instance_folder,
    note_audience,
    remove_stale_folders,
)
from monitor.settings import PROJECT_ROOT

READER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from dash_app.page_cache import SharedCache

    def never():
        raise SystemExit("computed again: the value of the other process was not found")

    cache = SharedCache(Path(sys.argv[1]), 16, lambda: None)
    print(cache.cached(("page", "cockpit", [3, 0, "cat", "2021-07-20"]), never))
    """
)


def test_a_value_computed_in_one_process_is_read_in_another(tmp_path: Path) -> None:
    cache = SharedCache(tmp_path / "pages", 16, lambda: None)
    assert cache.cached(("page", "cockpit", [3, 0, "cat", "2021-07-20"]), lambda: f"由进程 {os.getpid()} 计算") != ""
    cache.close()
    done = subprocess.run(
        [sys.executable, "-c", READER, str(tmp_path / "pages")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"由进程 {os.getpid()} 计算"


def test_a_new_data_key_computes_afresh_and_the_old_one_stays_as_it_was(tmp_path: Path) -> None:
    cache = SharedCache(tmp_path, 16, lambda: None)
    assert cache.cached(("report", [1, 0]), lambda: "导入前") == "导入前"
    assert cache.cached(("report", [1, 0]), lambda: "不应再算") == "导入前"
    assert cache.cached(("report", [2, 0]), lambda: "导入后") == "导入后"  # an import moved the data version
    assert cache.cached(("report", [2, 1]), lambda: "预警变化后") == "预警变化后"  # an alert moved its version


def test_a_value_that_looked_at_the_person_is_kept_per_person(tmp_path: Path) -> None:
    who = {"now": "stats-user|reporter|stats"}
    cache = SharedCache(tmp_path, 16, lambda: who["now"])

    def page() -> str:
        note_audience()  # what dash_app.auth.current_principal does
        return f"本单位：{who['now'].rsplit('|', 1)[-1]}"

    assert cache.cached(("page", "alerts"), page) == "本单位：stats"
    who["now"] = "finance-user|reporter|finance"
    assert cache.cached(("page", "alerts"), page) == "本单位：finance"
    who["now"] = "stats-user|reporter|stats"
    assert cache.cached(("page", "alerts"), lambda: "不应再算") == "本单位：stats"
    who["now"] = None  # outside a request nobody is signed in: never served anyone's page
    assert cache.cached(("page", "alerts"), lambda: "无人登录") == "无人登录"


def test_a_page_made_of_a_per_person_part_is_per_person_too(tmp_path: Path) -> None:
    who = {"now": "a|viewer|"}
    cache = SharedCache(tmp_path, 16, lambda: who["now"])

    def part() -> str:
        note_audience()
        return who["now"]

    def page() -> str:
        return "页面[" + cache.cached(("part",), part) + "]"

    assert cache.cached(("page",), page) == "页面[a|viewer|]"
    who["now"] = "b|viewer|"
    assert cache.cached(("page",), page) == "页面[b|viewer|]"  # the part came from the cache, the page knows


def test_an_error_shown_instead_of_the_page_is_not_stored(tmp_path: Path) -> None:
    cache = SharedCache(tmp_path, 16, lambda: None)

    def failing() -> str:
        do_not_store()  # what components.guarded does when it shows an error box
        return "数据库暂时不可用"

    assert cache.cached(("page", "x"), failing) == "数据库暂时不可用"
    assert cache.cached(("page", "x"), lambda: "正常页面") == "正常页面"
    with pytest.raises(ZeroDivisionError):
        cache.cached(("page", "y"), lambda: 1 // 0)
    assert cache.cached(("page", "y"), lambda: "重新计算") == "重新计算"


def test_figures_are_stored_as_plain_dicts(tmp_path: Path) -> None:
    cache = SharedCache(tmp_path, 16, lambda: None)
    figure = go.Figure(go.Bar(x=["1月", "2月"], y=[1.5, 2.5]))
    cache.cached(("fig",), lambda: {"figure": figure})
    again = cache.cached(("fig",), lambda: {"figure": None})["figure"]
    assert isinstance(again, dict)
    assert list(again["data"][0]["y"]) == [1.5, 2.5]


def test_folders_of_boards_that_are_gone_are_removed(tmp_path: Path) -> None:
    mine = instance_folder(tmp_path)
    mine.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(timeout=60)
    gone = tmp_path / "board" / f"instance-{dead.pid}-abcd"
    gone.mkdir()
    remove_stale_folders(tmp_path)
    assert mine.is_dir()
    assert not gone.exists()
