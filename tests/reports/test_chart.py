"""The rates chart (studyhub.reports.chart) with the CJK font really installed on this machine
(CI installs fonts-noto-cjk from Debian's packages): nothing about the font lookup is patched.
The missing-font path is taken through the documented ways to narrow the lookup: the
``fonts`` parameter (an empty font list) and ``STUDYHUB_CHART_FONT`` naming a family that is
not installed, so the real lookup runs and finds nothing."""

from __future__ import annotations

import struct
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.errors import StudyhubError
from tests.reports.test_annual_bureau import add_exam
from tests.test_scenario_bureau import build_bureau

pytest.importorskip("matplotlib")

ROWS = [
    {"group": "办公室", "participation_rate": Decimal("0.9833"), "pass_rate": Decimal("0.95")},
    {"group": "执法支队第一大队（综合执法）", "participation_rate": Decimal("1"),
     "pass_rate": Decimal("0.9")},
    {"group": "空部门", "participation_rate": None, "pass_rate": None},
    {"group": "法规科", "participation_rate": Decimal("1"), "pass_rate": Decimal("1")},
    {"group": "财务科", "participation_rate": Decimal("0.9833"), "pass_rate": Decimal("0.9655")},
]  # fmt: skip


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def bars(figure: object) -> list[tuple[list[str], list[str]]]:
    """Per panel: the group labels top to bottom and the value labels in drawing order."""
    panels = []
    for axes in figure.axes:  # type: ignore[attr-defined]
        assert axes.yaxis_inverted()  # the smallest position is drawn at the top
        ticks = sorted(zip(axes.get_yticks(), axes.get_yticklabels(), strict=True),
                       key=lambda pair: pair[0])  # fmt: skip
        panels.append(
            ([label.get_text() for _, label in ticks], [t.get_text() for t in axes.texts])
        )
    return panels


def text_fonts(figure: object) -> set[str]:
    """The font family of every text drawn (titles, ticks, labels, legend, values)."""
    from matplotlib.text import Text

    texts = [t for t in figure.findobj(Text) if t.get_text() and t.get_visible()]  # type: ignore[attr-defined]
    assert len(texts) > 20
    return {text.get_fontname() for text in texts}


def test_the_chart_is_sorted_labelled_and_drawn_with_the_cjk_font(tmp_path: Path) -> None:
    from studyhub.reports.chart import CJK_FONT_NAMES, draw_rates_chart, find_cjk_font

    family = find_cjk_font()
    assert family is not None, "no CJK font: apt-get install fonts-noto-cjk (CI does)"
    assert family in CJK_FONT_NAMES
    path = tmp_path / "rates.png"
    figure = draw_rates_chart(ROWS, path, title="2026年《法宣在线考试》参考率和及格率（按部门）")
    data = path.read_bytes()
    width, height = png_size(data)
    assert 40_000 < len(data) < 2_000_000  # Chinese glyphs drawn, not a blank image
    assert width == 9 * 120 and height >= (0.9 + 0.6 * 5 + 0.6) * 120 - 1
    assert not [p.name for p in tmp_path.iterdir() if p.name != "rates.png"]  # atomic

    [(groups, values)] = bars(figure)
    # 参考率 then 及格率, descending; no rate last; ties by name
    assert groups == ["法规科", "执法支队第一大队（综合执法）", "财务科", "办公室", "空部门"]
    # 参考率 bars first, then 及格率 bars, each in the sorted order, as the tables show them
    assert values == ["100.0%", "100.0%", "98.3%", "98.3%", "-",
                      "100.0%", "90.0%", "96.5%", "95.0%", "-"]  # fmt: skip
    assert text_fonts(figure) == {family}
    assert figure.axes[0].get_title(loc="left") == "2026年《法宣在线考试》参考率和及格率（按部门）"
    assert figure.axes[0].get_legend().get_texts()[0].get_text() in ("参考率", "participation")


def test_without_a_cjk_font_the_chart_is_refused_by_name(tmp_path: Path) -> None:
    from studyhub.reports.chart import draw_rates_chart, find_cjk_font

    assert find_cjk_font([]) is None
    with pytest.raises(StudyhubError, match="fonts-noto-cjk"):
        draw_rates_chart(ROWS, tmp_path / "rates.png", fonts=[])
    assert not (tmp_path / "rates.png").exists()


def test_chart_through_the_cli(db_url: str, tmp_path: Path) -> None:
    people = build_bureau(db_url, tmp_path)
    absent = {"0057", "0058", "0060", "0021"}
    add_exam(
        db_url,
        tmp_path,
        "fxzx-2026",
        "法宣在线考试",
        2026,
        {no: ("50" if no == "0031" else "90") for no, _, _ in people if no not in absent},
    )
    chart = tmp_path / "rates.png"
    args = ["--db", db_url, "report", "rates", "--year", "2026", "--by", "department",
            "--chart", str(chart)]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert f"图表已写入 {chart}" in result.stderr
    _, height = png_size(chart.read_bytes())
    assert height > 6 * 0.6 * 120  # six departments

    # STUDYHUB_CHART_FONT names the families to use: one not installed is a one-line error
    chart.unlink()
    result = CliRunner().invoke(cli, args, env={"STUDYHUB_CHART_FONT": "No Such Font"})
    assert result.exit_code == 1 and not chart.exists()
    assert result.stderr == (
        "错误：找不到绘图所需的中文字体："
        "请安装软件包 fonts-noto-cjk（apt-get install fonts-noto-cjk）\n"
    )
    english = CliRunner().invoke(cli, ["--lang", "en", *args],
                                 env={"STUDYHUB_CHART_FONT": "No Such Font"})  # fmt: skip
    assert "install the package fonts-noto-cjk" in english.stderr
    assert "Traceback" not in english.output + english.stderr


def test_chart_without_matplotlib(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from studyhub.reports import chart

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    with pytest.raises(StudyhubError, match=r"pip install 'studyhub\[chart\]'"):
        chart.draw_rates_chart(ROWS, tmp_path / "rates.png")
