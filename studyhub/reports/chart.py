"""A bar chart of participation and pass rates by group (PNG), with matplotlib.

matplotlib is an optional extra (``pip install 'studyhub[chart]'``), imported only when a
chart is drawn, with the Agg backend (no display needed).

The chart reads like a table turned on its side: one horizontal pair of bars (参考率, 及格率)
per group, sorted best first (参考率, then 及格率, descending; groups with nobody to count
last), each bar labelled with its value as the tables show it (``98.3%``), the x axis in
percent, and one panel per exam titled with the exam and its year. The figure grows with the
number of groups, so long Chinese department names stay readable.

Chinese text needs a CJK font. :func:`find_cjk_font` looks in matplotlib's font list for the
families of :data:`CJK_FONT_NAMES` (Noto Sans CJK SC first); when matplotlib's cached list
predates the font's installation, it asks fontconfig (``fc-list :lang=zh``) and registers the
font it finds. ``STUDYHUB_CHART_FONT`` (family names, comma-separated) replaces the families
searched for. With no CJK font the chart is refused with a one-line error naming the Debian
package to install (``fonts-noto-cjk``), never drawn with empty boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from studyhub.errors import StudyhubError
from studyhub.i18n import msg

__all__ = [
    "CJK_FONT_NAMES",
    "FONT_ENV",
    "build_rates_figure",
    "draw_rates_chart",
    "find_cjk_font",
    "sorted_rows",
]

#: font families searched for, in order of preference
CJK_FONT_NAMES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "Noto Serif CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans",
)
#: the environment variable that names the font families to use instead
FONT_ENV = "STUDYHUB_CHART_FONT"


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise StudyhubError(
            msg("drawing a chart needs matplotlib: pip install 'studyhub[chart]'")
        ) from None
    matplotlib.use("Agg", force=True)
    return matplotlib


def _wanted() -> tuple[tuple[str, ...], bool]:
    """The families to look for, and whether they were named by ``STUDYHUB_CHART_FONT``."""
    named = tuple(n.strip() for n in os.environ.get(FONT_ENV, "").split(",") if n.strip())
    return (named, True) if named else (CJK_FONT_NAMES, False)


def _match(entries: Iterable[Any], wanted: Sequence[str]) -> str | None:
    names = {str(entry.name).casefold(): str(entry.name) for entry in entries}
    for family in wanted:
        if family.casefold() in names:
            return names[family.casefold()]
    return None


def _fontconfig_files(wanted: Sequence[str], named: bool) -> list[str]:
    """Font files fontconfig knows for Chinese (``fc-list :lang=zh``): the file of the first
    wanted family it has, else (unless families were named) the first Chinese font."""
    if shutil.which("fc-list") is None:
        return []
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True,
                                 text=True, timeout=30, check=False).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in sorted(listing.splitlines()):
        path, _, families = line.partition(":")
        fonts.append((path.strip(), [f.strip().casefold() for f in families.split(",")]))
    for family in wanted:
        for path, families in fonts:
            if family.casefold() in families:
                return [path]
    return [] if named or not fonts else [fonts[0][0]]


def find_cjk_font(fonts: Iterable[Any] | None = None) -> str | None:
    """The family name of a CJK font matplotlib can draw with, or None.

    ``fonts``: the font entries to search (matplotlib ``FontEntry`` objects); by default
    matplotlib's own list, completed from fontconfig when it has none (a font installed after
    matplotlib built its cache). ``fonts=[]`` finds nothing: the path taken on a machine
    without CJK fonts."""
    _matplotlib()
    from matplotlib import font_manager

    wanted, named = _wanted()
    if fonts is not None:
        return _match(fonts, wanted)
    found = _match(font_manager.fontManager.ttflist, wanted)
    if found is not None:
        return found
    for path in _fontconfig_files(wanted, named):
        before = len(font_manager.fontManager.ttflist)
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue
        added = font_manager.fontManager.ttflist[before:]
        found = _match(added, wanted) or (None if named or not added else str(added[0].name))
        if found is not None:
            return found
    return None


def _sort_key(row: dict[str, Any]) -> tuple[int, Decimal, Decimal, str]:
    participation, passed = row.get("participation_rate"), row.get("pass_rate")
    return (
        participation is None,
        -(participation if participation is not None else Decimal(-1)),
        -(passed if passed is not None else Decimal(-1)),
        str(row["group"]),
    )


def sorted_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Best first: 参考率, then 及格率, descending (no rate: last), then by name."""
    return sorted(rows, key=_sort_key)


def _panels(rows: Sequence[dict[str, Any]], title: str | None) -> list[tuple[str, list[Any]]]:
    panels: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        panels.setdefault(str(row.get("panel") or title or ""), []).append(row)
    return [(name, sorted_rows(group)) for name, group in panels.items()]


def build_rates_figure(
    rows: Sequence[dict[str, Any]], *, title: str | None = None, fonts: Iterable[Any] | None = None
) -> Any:
    """The chart as a matplotlib ``Figure`` (not yet saved). ``rows``: ``group``,
    ``participation_rate`` and ``pass_rate`` (fractions, Decimal or None) and optionally
    ``panel`` (the title of the exam's panel; ``title`` when missing). ``fonts``: see
    :func:`find_cjk_font`."""
    _matplotlib()
    family = find_cjk_font(fonts)
    if family is None:
        raise StudyhubError(
            msg("no Chinese (CJK) font found for the chart: install the package fonts-noto-cjk "
                "(apt-get install fonts-noto-cjk)")
        )  # fmt: skip
    from matplotlib import font_manager
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    from studyhub.i18n import t
    from studyhub.reports.scope import percent_text

    font = font_manager.FontProperties(family=family)
    panels = _panels(rows, title)
    heights = [0.9 + 0.6 * max(1, len(group)) for _, group in panels]
    figure = Figure(figsize=(9.0, sum(heights) + 0.6), dpi=120)
    grid = figure.add_gridspec(len(panels), 1, height_ratios=heights)
    series = (("participation_rate", t("report.chart.participation"), "#2f6db5"),
              ("pass_rate", t("report.chart.pass"), "#e0892b"))  # fmt: skip
    width = 0.38
    for index, (name, group) in enumerate(panels):
        axes = figure.add_subplot(grid[index])
        positions = list(range(len(group)))
        for offset, (key, label, colour) in zip((-width / 2, width / 2), series, strict=True):
            values = [row.get(key) for row in group]
            bars = axes.barh([p + offset for p in positions],
                             [float(v * 100) if v is not None else 0.0 for v in values],
                             width, label=label, color=colour)  # fmt: skip
            for bar, value in zip(bars, values, strict=True):
                axes.text(bar.get_width() + 0.8, bar.get_y() + bar.get_height() / 2,
                          percent_text(value), va="center", ha="left", fontsize=8,
                          fontproperties=font)  # fmt: skip
        axes.set_yticks(positions)
        axes.set_yticklabels([str(row["group"]) for row in group], fontproperties=font)
        axes.invert_yaxis()  # the best at the top
        axes.set_xlim(0, 115)  # room for the value labels of full bars
        axes.set_xticks(range(0, 101, 20))
        axes.xaxis.set_major_formatter(PercentFormatter(xmax=100, decimals=0))
        axes.set_xlabel(t("report.chart.axis"), fontproperties=font)
        axes.set_title(name, fontproperties=font, loc="left")
        axes.legend(
            prop=font,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=2,
            frameon=False,
            borderaxespad=0.2,
        )  # above the bars, right of the title
        for label in axes.get_xticklabels():
            label.set_fontproperties(font)
    figure.tight_layout()
    return figure


def draw_rates_chart(
    rows: Sequence[dict[str, Any]],
    path: str | Path,
    *,
    title: str | None = None,
    fonts: Iterable[Any] | None = None,
) -> Any:
    """Draw :func:`build_rates_figure` to ``path`` (PNG, atomically); returns the Figure."""
    figure = build_rates_figure(rows, title=title, fonts=fonts)
    from studyhub.fileio import atomic_output

    with atomic_output(path) as stream:
        figure.savefig(stream, format="png")
    return figure
