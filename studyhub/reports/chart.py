"""A bar chart of participation and pass rates by group (PNG), with matplotlib.

matplotlib is an optional extra (``pip install 'studyhub[chart]'``), imported only when a
chart is drawn, with the Agg backend (no display needed). Chinese labels need a CJK font: one
is looked up in matplotlib's font manager, and its absence is an error that names the Debian
package to install.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from studyhub.errors import StudyhubError
from studyhub.i18n import msg

__all__ = ["CJK_FONT_NAMES", "draw_rates_chart", "find_cjk_font"]

#: font families searched for, in order of preference
CJK_FONT_NAMES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK",
    "Noto Sans SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Sans",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
)


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise StudyhubError(
            msg("drawing a chart needs matplotlib: pip install 'studyhub[chart]'")
        ) from None
    matplotlib.use("Agg", force=True)
    return matplotlib


def find_cjk_font() -> str | None:
    """The file of a CJK font matplotlib can use (Noto Sans CJK, Source Han, WenQuanYi,
    SimHei...), or None."""
    _matplotlib()
    from matplotlib import font_manager

    fonts = font_manager.fontManager.ttflist
    for wanted in CJK_FONT_NAMES:
        for font in fonts:
            if font.name.casefold() == wanted.casefold():
                return str(font.fname)
    for font in fonts:
        name = font.name.casefold()
        if any(part in name for part in ("cjk", "wenquanyi", "source han", "simhei")):
            return str(font.fname)
    return None


def _percent(value: Decimal | None) -> float:
    return float(value * 100) if value is not None else 0.0


def _label(value: Decimal) -> str:
    """98.3% style, truncated (as every rate studyhub shows)."""
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'), rounding=ROUND_DOWN)}%"


def draw_rates_chart(rows: Sequence[dict[str, Any]], path: str | Path) -> None:
    """Grouped bars of ``participation_rate`` and ``pass_rate`` (fractions, Decimal or None)
    per ``group``, as percentages, written to ``path`` (PNG, atomically)."""
    _matplotlib()
    font_file = find_cjk_font()
    if font_file is None:
        raise StudyhubError(
            msg("no Chinese (CJK) font found for the chart"),
            hint=msg("install one, e.g. apt-get install fonts-noto-cjk (or fonts-wqy-microhei)"),
        )
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    from studyhub.fileio import atomic_output
    from studyhub.i18n import t

    font = font_manager.FontProperties(fname=font_file)
    groups = [str(row["group"]) for row in rows]
    series = [
        (t("report.chart.participation"), [row.get("participation_rate") for row in rows]),
        (t("report.chart.pass"), [row.get("pass_rate") for row in rows]),
    ]
    figure = Figure(figsize=(max(6.0, 1.2 * len(groups) + 2), 4.5), dpi=120)
    axes = figure.subplots()
    width = 0.38
    positions = list(range(len(groups)))
    for index, (label, values) in enumerate(series):
        offset = (index - 0.5) * width
        bars = axes.bar([p + offset for p in positions], [_percent(v) for v in values], width,
                        label=label)  # fmt: skip
        for bar, value in zip(bars, values, strict=True):
            text = "-" if value is None else _label(value)
            axes.annotate(
                text, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center", va="bottom", fontsize=8, fontproperties=font,
            )  # fmt: skip
    axes.set_xticks(positions)
    axes.set_xticklabels(groups, fontproperties=font)
    axes.set_ylim(0, 110)
    axes.set_ylabel("%", fontproperties=font)
    axes.set_title(t("report.chart.title"), fontproperties=font)
    axes.legend(prop=font)
    figure.tight_layout()
    with atomic_output(path) as stream:
        figure.savefig(stream, format="png")
