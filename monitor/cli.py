"""Command line: one small function per command; every MonitorError becomes a message and exit 1.

monitor [--db URL] [--config FILE] COMMAND ...
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine

from monitor.config import load_catalogue
from monitor.domain.catalogue import Catalogue, Indicator, catalogue_to_dict
from monitor.domain.periods import parse_period
from monitor.errors import ConfigError, DatabaseError, MonitorError, UsageError
from monitor.formatting import format_growth, format_value, period_label, text_table
from monitor.services.clock import effective_today
from monitor.settings import Settings, load_settings
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import make_engine, migrate, schema_is_current, transaction
from monitor.storage.observations import read_observations


class Context:
    """What every command needs, built lazily so `catalog check` works without a database."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._engine: Engine | None = None
        self._catalogue: Catalogue | None = None

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = load_catalogue(self.settings.config_path)
        return self._catalogue

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    def ready_engine(self) -> Engine:
        """The engine of a migrated database; tells the user to run `monitor init` otherwise."""
        if not schema_is_current(self.engine):
            raise DatabaseError("数据库尚未初始化或版本过旧：请先运行 monitor init")
        return self.engine

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.catalogue.meta.timezone)


def say(text: str = "") -> None:
    print(text, flush=True)


def note(text: str) -> None:
    """Progress and context go to stderr so that stdout stays clean for JSON/CSV."""
    print(text, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------- commands


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    catalogue = ctx.catalogue
    note(f"数据库：{ctx.engine.url.render_as_string(hide_password=True)}")
    migrate(ctx.engine)
    with transaction(ctx.engine) as session:
        changes = sync_catalogue(session, catalogue)
    if changes:
        say(f"已同步指标目录 {ctx.settings.config_path}：")
        for line in changes:
            say(f"  {line}")
    else:
        say(f"指标目录 {ctx.settings.config_path} 与数据库一致，无需更改")
    return 0


def cmd_catalog_check(ctx: Context, args: argparse.Namespace) -> int:
    catalogue = ctx.catalogue  # raises ConfigError with every problem
    from monitor.services.summary import catalogue_lines

    for line in catalogue_lines(catalogue, str(ctx.settings.config_path)):
        say(line)
    say("检查通过：未发现问题")
    return 0


def cmd_catalog_show(ctx: Context, args: argparse.Namespace) -> int:
    data = catalogue_to_dict(ctx.catalogue)
    if args.format == "json":
        say(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    cat = ctx.catalogue
    for s in cat.sets.values():
        say(f"{s.name}（{s.code}，{len(s.indicator_codes)} 项）")
        rows = []
        for c in s.categories:
            for code in c.indicators:
                ind = cat.indicators[code]
                deps = "、".join(cat.departments[d].name for d in ind.departments)
                rows.append([c.name, ind.code, ind.name, ind.unit, ind.frequency.value, ind.measure.value, deps])
        say(text_table(["分类", "代码", "指标", "单位", "频度", "类型", "责任单位"], rows))
        say()
    target_rows: list[list[object]] = [
        [
            t.year,
            cat.regions[t.region].name,
            cat.indicators[t.indicator].name,
            t.kind.value,
            "" if t.value is None else t.value,
            "" if t.tolerance is None else t.tolerance,
            t.reference or "",
        ]
        for t in cat.targets
    ]
    say("年度目标")
    say(text_table(["年度", "地区", "指标", "类型", "目标值", "容差", "参照"], target_rows))
    return 0


def parse_known_at(text: str | None, tz: ZoneInfo) -> datetime | None:
    """ISO date or time; naive times are in the catalogue's time zone; a bare date means the end of that day."""
    if not text:
        return None
    try:
        if len(text.strip()) == 10:
            return datetime.combine(datetime.fromisoformat(text.strip()).date(), time.max, tz)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--known-at “{text}” 不是 ISO 格式的日期或时间（例如 2021-06-20 或 2021-06-20T09:00）"
        ) from None
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


OBS_JSON_FIELDS = [
    "indicator",
    "region",
    "period",
    "value",
    "yoy",
    "unit",
    "note",
    "known_from",
    "known_to",
    "source",
    "channel",
    "import_id",
    "is_sample",
]


def _iso(value: Any, tz: ZoneInfo) -> str | None:
    return None if value is None or pd.isna(value) else value.astimezone(tz).isoformat()


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def cmd_observations(ctx: Context, args: argparse.Namespace) -> int:
    cat = ctx.catalogue
    indicator = cat.indicators.get(args.indicator)
    if indicator is None:
        raise UsageError(f"未知的指标代码“{args.indicator}”（monitor catalog show 可列出全部指标）")
    region = args.region or cat.meta.default_region
    if region not in cat.regions:
        raise UsageError(f"未知的地区代码“{region}”（monitor catalog show 可列出全部地区）")
    known_at = parse_known_at(args.known_at, ctx.tz)
    with transaction(ctx.ready_engine()) as session:
        frame = read_observations(
            session,
            indicators=[indicator.code],
            regions=[region],
            years=[args.year] if args.year else None,
            known_at=known_at,
            history=args.history,
        )
        today = effective_today(session, cat.meta.timezone)
    if today.is_sample:
        note(f"注意：{today.note}（示例数据）")
    frame["unit"] = indicator.unit
    if args.format == "json":
        rows = [
            {
                "indicator": r.indicator,
                "region": r.region,
                "period": r.period,
                "value": _num(r.value),
                "yoy": _num(r.yoy),
                "unit": indicator.unit,
                "note": r.note,
                "known_from": _iso(r.known_from, ctx.tz),
                "known_to": _iso(r.known_to, ctx.tz),
                "source": r.source,
                "channel": r.channel,
                "import_id": None if pd.isna(r.import_id) else int(r.import_id),
                "is_sample": bool(r.is_sample),
            }
            for r in frame.itertuples()
        ]
        doc = {
            "indicator": indicator.code,
            "name": indicator.name,
            "region": region,
            "unit": indicator.unit,
            "known_at": known_at.isoformat() if known_at else None,
            "rows": rows,
        }
        return _emit(json.dumps(doc, ensure_ascii=False, indent=2), args.out)
    zh = _observations_zh(frame, indicator, cat.regions[region].name, ctx.tz)
    if args.format == "csv":
        buf = io.StringIO()
        zh.to_csv(buf, index=False)
        if args.out:
            Path(args.out).write_text(buf.getvalue(), encoding="utf-8-sig")  # BOM: Excel opens it correctly
            say(f"已写出 {len(zh)} 行到 {args.out}")
            return 0
        sys.stdout.write(buf.getvalue())
        return 0
    if args.format == "xlsx":
        out = Path(args.out or f"{indicator.code}_{region}{'_' + str(args.year) if args.year else ''}.xlsx")
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            zh.to_excel(writer, index=False, sheet_name="数据")
            sheet = writer.sheets["数据"]
            for column, width in zip("ABCDEFGHIJK", (22, 10, 16, 14, 10, 10, 24, 24, 40, 12, 30), strict=False):
                sheet.column_dimensions[column].width = width
        say(f"已写出 {len(zh)} 行到 {out}")
        return 0
    if frame.empty:
        say(f"{indicator.name}（{cat.regions[region].name}）没有符合条件的数据")
        return 0
    table_rows = [
        [
            r["期别"],
            format_value(r["数值"], indicator.unit),
            format_growth(r["同比增长(%)"]),
            r["知悉时间"],
            r["被修订时间"] or "",
            r["来源"],
        ]
        for r in zh.to_dict("records")
    ]
    say(f"{indicator.name}（{indicator.unit}，{cat.regions[region].name}）")
    say(text_table(["期别", "数值", "同比", "知悉时间", "被修订时间", "来源"], table_rows, [False, True, True]))
    return 0


def _observations_zh(frame: pd.DataFrame, indicator: Indicator, region_name: str, tz: ZoneInfo) -> pd.DataFrame:
    """The export table with Chinese headers, as a department would read it in Excel."""

    def local(value: Any) -> str | None:
        return None if pd.isna(value) else value.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    return pd.DataFrame(
        {
            "指标": indicator.name,
            "地区": region_name,
            "期别": [period_label(parse_period(p), indicator) for p in frame["period"]],
            "期别代码": frame["period"],
            "数值": frame["value"],
            "单位": indicator.unit,
            "同比增长(%)": frame["yoy"],
            "知悉时间": [local(v) for v in frame["known_from"]],
            "被修订时间": [local(v) for v in frame["known_to"]],
            "来源": frame["source"].fillna(""),
            "备注": frame["note"].fillna(""),
        }
    )


def _emit(text: str, out: str | None) -> int:
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
        say(f"已写出 {out}")
    else:
        say(text)
    return 0


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.demo import load_demo

    engine = ctx.ready_engine()
    note("正在生成并写入示例数据（2016-01 至 2021-06，姑苏区、8 个街道和 9 个对标地区）…")
    result = load_demo(engine, ctx.catalogue)
    c = result.counts
    say(
        f"示例数据：{result.rows:,} 行，新增 {c.inserted:,}、修订 {c.revised:,}、未变 {c.unchanged:,}，"
        f"用时 {result.seconds:.1f} 秒（导入批次 #{result.import_id}）"
    )
    say(f"示例数据自带的“当前日期”为 {result.today}：只要数据库中只有示例数据，各命令都以此为今天")
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.summary import catalogue_lines, data_lines, data_summary, latest_figures_table

    engine = ctx.ready_engine()
    say(f"{ctx.catalogue.meta.title}")
    say(f"数据库：{engine.url.render_as_string(hide_password=True)}")
    for line in catalogue_lines(ctx.catalogue, str(ctx.settings.config_path)):
        say(line)
    with transaction(engine) as session:
        summary = data_summary(session)
        today = effective_today(session, ctx.catalogue.meta.timezone)
        for line in data_lines(summary):
            say(line)
        say(today.note)
        if summary.current_rows:
            say()
            say(latest_figures_table(session, ctx.catalogue, today))
            if today.is_sample:
                say("\n以上为示例数据（模拟生成，非官方统计数据）")
    return 0


def cmd_run(ctx: Context, args: argparse.Namespace) -> int:
    """The README's main command: initialise, load sample data into an empty database, then report."""
    from monitor.services.demo import database_is_empty

    cmd_init(ctx, args)
    if database_is_empty(ctx.engine):
        cmd_demo(ctx, args)
    say()
    return cmd_status(ctx, args)


# ------------------------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own messages are English; keep its exit code 2
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}\n（用 -h 查看用法）\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="monitor", description="经济运行监测：指标目录、数据导入、序时进度、预警与看板")
    parser.add_argument("--db", help="数据库地址（覆盖 MONITOR_DATABASE_URL），如 postgresql+psycopg://user@host/db")
    parser.add_argument("--config", help="指标目录文件（覆盖 MONITOR_CONFIG，默认 indicators.toml）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def add(name: str, func: Callable[[Context, argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    add("init", cmd_init, "迁移数据库到最新版本并同步指标目录（可重复运行）")
    catalog = sub.add_parser("catalog", help="检查或显示指标目录")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True, metavar="ACTION", parser_class=_Parser)
    check = catalog_sub.add_parser("check", help="检查指标目录，列出全部问题")
    check.add_argument("--config", default=argparse.SUPPRESS, help="要检查的指标目录文件")
    check.set_defaults(func=cmd_catalog_check)
    show = catalog_sub.add_parser("show", help="显示指标体系、指标、责任单位、地区和目标")
    show.add_argument("--format", choices=["table", "json"], default="table")
    show.set_defaults(func=cmd_catalog_show)

    obs = add("observations", cmd_observations, "导出某项指标的数据（含修订历史）")
    obs.add_argument("--indicator", required=True, help="指标代码，如 gdp")
    obs.add_argument("--region", help="地区代码（默认为目录中的默认地区）")
    obs.add_argument("--year", type=int, help="只看某一年")
    obs.add_argument("--known-at", help="按某一时刻已知的数据（ISO 日期或时间，之后的修订忽略）")
    obs.add_argument("--history", action="store_true", help="列出每个数值的全部版本")
    obs.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    obs.add_argument("--out", help="输出文件（xlsx 默认写到当前目录）")

    add("demo", cmd_demo, "生成并载入示例数据（2016-01 至 2021-06，标注为示例数据）")
    add("status", cmd_status, "显示指标目录和数据概况")
    add("run", cmd_run, "初始化数据库、空库时载入示例数据并显示概况（README 的主命令）")
    return parser


def _print_config_error(exc: ConfigError) -> None:
    note(f"错误：{exc}")
    for p in exc.problems:
        note(f"  {exc.path} · {p.key}：{p.message}")
    if exc.problems:
        note(f"共 {len(exc.problems)} 处问题；修改后运行 monitor catalog check 复查")


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Chinese text on any console encoding
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    settings = load_settings().with_overrides(database_url=args.db, config_path=args.config)
    ctx = Context(settings)
    try:
        return int(args.func(ctx, args))
    except ConfigError as exc:
        _print_config_error(exc)
        return 1
    except MonitorError as exc:
        note(f"错误：{exc}")
        return 1
    except KeyboardInterrupt:
        note("已中断")
        return 130
