"""`monitor catalog check|show`: validate and display the catalogue."""

from __future__ import annotations

import argparse
import json

from monitor.cli.arguments import Parser, Subcommands
from monitor.cli.context import Context
from monitor.cli.output import say
from monitor.domain.catalogue import catalogue_to_dict
from monitor.formatting import text_table


def cmd_catalog_check(ctx: Context, args: argparse.Namespace) -> int:
    catalogue = ctx.catalogue  # raises ConfigError with every problem
    from monitor.services.summary import catalogue_lines

    for line in catalogue_lines(catalogue, str(ctx.settings.config_path)):
        say(line)
    say("检查通过：未发现问题")
    return 0


_LEVEL_ZH = {"district": "本区", "street": "街道", "peer": "对标地区"}


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
                source = cat.departments[ind.supplier].name
                levels = "、".join(_LEVEL_ZH[k.value] for k in ind.regions)
                row = [
                    c.name,
                    ind.code,
                    ind.name,
                    ind.unit,
                    ind.frequency.value,
                    ind.measure.value,
                    deps,
                    source,
                    levels,
                ]
                rows.append(row)
        say(text_table(["分类", "代码", "指标", "单位", "频度", "类型", "责任单位", "数据来源", "报送地区"], rows))
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


def register(sub: Subcommands) -> None:
    catalog = sub.add_parser("catalog", help="检查或显示指标目录")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", required=True, metavar="ACTION", parser_class=Parser)
    check = catalog_sub.add_parser("check", help="检查指标目录，列出全部问题")
    check.add_argument("--config", default=argparse.SUPPRESS, help="要检查的指标目录文件")
    check.set_defaults(func=cmd_catalog_check)
    show = catalog_sub.add_parser("show", help="显示指标体系、指标、责任单位、地区和目标")
    show.add_argument("--format", choices=["table", "json"], default="table")
    show.set_defaults(func=cmd_catalog_show)
