"""`monitor forecast refresh`: fit and store the year-end forecasts of the district and its streets."""

from __future__ import annotations

import argparse

from monitor.cli.arguments import Parser, Subcommands, parse_report_month
from monitor.cli.context import Context
from monitor.cli.output import note, say
from monitor.errors import UsageError

METHOD_ZH = {
    "combination": "组合模型（Theta、指数平滑、季节朴素、航空模型，按各自近期误差加权）",
    "ses_growth": "增速平滑模型",
    "actual": "全年已有实际数",
    "seasonal_fallback": "季节比例推算（历史不足两年）",
    "linear_fallback": "线性推算（历史不足）",
    "last_year_fallback": "按上年全年数（历史不足）",
    "naive_fallback": "按最近余额（历史不足）",
    "no_history": "无数据，无法预测",
    "not_applicable": "不适用（周度价格等无全年目标）",
}


def cmd_forecast_refresh(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.services.forecasts import default_workers, district_regions, refresh_forecasts

    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers 须为正整数（收到 {args.workers}）")
    catalogue = ctx.catalogue
    regions = district_regions(catalogue, args.region)
    report_month = parse_report_month(args.period, ctx.current_report_month)
    today = ctx.today()
    if today.is_sample:
        note(f"注意：{today.note}（示例数据，模拟生成，非官方统计）")
    note(f"正在拟合 {report_month} 的全年预测（{catalogue.regions[regions[0]].name}及{len(regions) - 1}个街道）…")
    result = refresh_forecasts(
        ctx.ready_engine(), catalogue, report_month, regions=regions, workers=args.workers or default_workers()
    )
    say(
        f"已刷新 {result.report_month} 的全年预测：{result.series} 个序列，新拟合 {result.fitted} 个，"
        f"沿用已存 {result.reused} 个（数据未变），用时 {result.seconds:.1f} 秒"
    )
    for method, count in sorted(result.methods.items(), key=lambda item: -item[1]):
        say(f"  {METHOD_ZH.get(method, method)}：{count} 个")
    return 0


def register(sub: Subcommands) -> None:
    forecast = sub.add_parser("forecast", help="全年预测：拟合并保存各指标的年末预测")
    actions = forecast.add_subparsers(dest="forecast_command", required=True, metavar="ACTION", parser_class=Parser)
    refresh = actions.add_parser(
        "refresh",
        help="为本区及各街道的全部指标拟合全年预测（数据未变的沿用已存结果）",
        description="为本区及各街道的全部指标拟合全年预测并保存；数据未变的序列沿用已存结果，不重新拟合。",
    )
    refresh.add_argument("--period", help="报告月份，如 2021-06（默认：上个月；上月数据尚未报来时为有数据的最近月份）")
    refresh.add_argument("--region", help="区的地区代码（默认为目录中的默认地区），其下各街道一并刷新")
    refresh.add_argument("--workers", type=int, help="并行进程数（默认为处理器核数，最多4个）")
    refresh.set_defaults(func=cmd_forecast_refresh)
