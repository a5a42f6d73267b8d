"""The briefing's charts as PNG images, drawn with matplotlib's Agg backend (no window, no browser)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # before pyplot: render to memory only

from matplotlib import pyplot as plt

from monitor.domain.briefing import Chart

__all__ = ["CJK_FONTS", "chart_png"]

CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei", "WenQuanYi Zen Hei", "DejaVu Sans"]
"""Fonts tried in order for Chinese labels (fonts-noto-cjk on Debian, 黑体 or 雅黑 on Windows)."""

_COLOURS = ("#c00000", "#7f7f7f", "#1f4e79")


def chart_png(chart: Chart, *, dpi: int = 150) -> bytes:
    """A horizontal bar chart, one bar per label and series, values printed at the bar ends."""
    with plt.rc_context({"font.sans-serif": CJK_FONTS, "font.family": "sans-serif", "axes.unicode_minus": False}):
        n, k = len(chart.labels), len(chart.series)
        fig, ax = plt.subplots(figsize=(6.4, max(2.2, 0.45 * n * k + 1.0)))
        height = 0.8 / max(k, 1)
        for i, (name, values) in enumerate(chart.series):
            ys = [y + (i - (k - 1) / 2) * height for y in range(n)]
            bars = ax.barh(ys, values, height=height, label=name, color=_COLOURS[i % len(_COLOURS)])
            ax.bar_label(bars, labels=[f"{v:.1f}" for v in values], padding=2, fontsize=8)
        ax.set_yticks(range(n), chart.labels, fontsize=9)
        ax.invert_yaxis()
        ax.axvline(0, color="#000000", linewidth=0.6)
        ax.set_xlabel(chart.unit)
        ax.set_title(chart.title, fontsize=11)
        ax.margins(x=0.15)
        if k > 1:
            ax.legend(fontsize=8, loc="lower right")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        plt.close(fig)
    return buf.getvalue()
