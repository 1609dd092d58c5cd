"""report annual on the 60-person bureau: every number in the paragraph is parsed back out
and compared with the figures it came from (study_totals, outreach_totals, rates); parts with
no figures are left out; --approximate and --next-steps."""

from __future__ import annotations

import json
import re
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from studyhub.cli import cli
from studyhub.db import open_database
from studyhub.reports.rates import rates
from studyhub.study.activities import study_totals
from studyhub.study.outreach import outreach_totals
from tests.test_scenario_bureau import build_bureau, cli_ok

NUMBER = re.compile(r"\d+(?:\.\d+)?")


def run(db_url: str, lang: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", db_url, "--lang", lang, *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def annual(db_url: str, year: int, *args: str, lang: str = "zh") -> dict[str, Any]:
    return json.loads(
        run(db_url, lang, "report", "annual", "--year", str(year), "--format", "json", *args)
    )


def numbers_in(text: str) -> list[str]:
    """The numbers of a paragraph, outside the titles in 《》 (which may hold digits)."""
    return NUMBER.findall(re.sub(r"《[^》]*》", "", text))


def add_exam(db_url: str, tmp_path: Path, key: str, title: str, year: int,
             scores: dict[str, str]) -> None:  # fmt: skip
    spec = tmp_path / f"{key}.yaml"
    spec.write_text(f"key: {key}\ntitle: {title}\nyear: {year}\nkind: external\n"
                    f"opens: {year}-11-01\ncloses: {year}-11-30\n", encoding="utf-8")  # fmt: skip
    cli_ok(db_url, "exam", "create", str(spec))
    lines = ["工号,成绩,提交时间"] + [
        f"{no},{score},{year}-11-20 10:00" for no, score in scores.items()
    ]
    results = tmp_path / f"{key}.csv"
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli_ok(db_url, "exam", "import-results", key, str(results))


def source_figures(db_url: str, year: int) -> dict[str, Any]:
    """The figures of the year straight from the library, by the names the paragraph uses."""
    database = open_database(db_url)
    try:
        study = study_totals(database, year)
        outreach = outreach_totals(database, year)
        exams = rates(database, year=year)
    finally:
        database.dispose()
    kinds = study["by_kind"]
    collective = [kinds[k] for k in ("party_group", "central_group", "staff_meeting") if k in kinds]
    figures: dict[str, Any] = {
        "year": year,
        "collective_sessions": sum(k["activities"] for k in collective),
        "collective_hours": sum((k["hours"] for k in collective), Decimal(0)),
        "lectures": kinds.get("lecture", {}).get("activities", 0),
        "seminars": kinds.get("seminar", {}).get("activities", 0),
        "online_courses": kinds.get("online_course", {}).get("activities", 0),
        "laws": study["laws"],
        "attendance": study["attendance"],
        "people": study["people"],
        "person_hours": study["person_hours"],
        "outreach_events": outreach["events"],
        "materials": outreach["materials"],
        "consultations": outreach["consultations"],
        "outreach_participants": outreach["participants"],
        "exams": len([row for row in exams if row.required]),
    }
    figures |= {f"seminars.{key}": n for key, n in study["seminars_by_topic"].items()}
    for row in exams:
        for name in ("required", "participants", "passed", "participation_rate", "pass_rate"):
            figures[f"exams.{row.exam}.{name}"] = getattr(row, name)
    return figures


def check_numbers(paragraph: str, numbers: list[dict[str, Any]], figures: dict[str, Any], *,
                  approximate: bool = False) -> None:  # fmt: skip
    """Each number of ``paragraph``, in order, is the text of the figure recorded for it, and
    that figure's value is the one the library gives."""
    written = [n for n in numbers if n["text"]]
    assert numbers_in(paragraph) == [NUMBER.search(n["text"])[0] for n in written]
    for number in written:
        value = figures[number["figure"]]
        shown = Decimal(NUMBER.search(number["text"])[0])
        if number["text"].endswith("%"):  # rates: a fraction, shown truncated to 0.1%
            assert shown == (value * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
            for other in number.get("figures", []):
                assert figures[other] == value
        elif number["figure"].endswith("_change"):  # points, written with 提高/下降
            assert shown == abs(value)
        elif approximate and value >= 20 and not number["figure"].startswith(("exams", "year")):
            step = 10 ** (len(str(int(value))) - 2)
            assert shown == int(value) // step * step
            assert (shown < value) == ("余" in number["text"] or "over" in number["text"])
        else:
            assert shown == value, number
        assert Decimal(str(number["value"])) == value


def test_annual_paragraph_is_traceable(db_url: str, tmp_path: Path) -> None:
    people = build_bureau(db_url, tmp_path)
    # 0060 left in June: not required; 0059 is exempt; 0058 and 0057 never sat;
    # 0001-0003 failed (55, 58, 59.99); everyone else passed
    low = {"0001": "55", "0002": "58", "0003": "59.99"}
    add_exam(db_url, tmp_path, "fxzx-2026", "2026年度法宣在线学法考试", 2026, {
        no: low.get(no, "88") for no, _, _ in people if no not in ("0060", "0059", "0058", "0057")
    })  # fmt: skip
    cli_ok(db_url, "exempt", "add", "0059", "--exam", "fxzx-2026", "--reason", "长期病假")
    figures = source_figures(db_url, 2026)
    assert (figures["exams.fxzx-2026.required"], figures["exams.fxzx-2026.participants"],
            figures["exams.fxzx-2026.passed"]) == (58, 56, 53)  # fmt: skip

    report = json.loads(cli_ok(db_url, "report", "rates", "--year", "2026", "--format", "json"))
    [rates] = report["tables"][0]["rows"]
    assert (rates["required"], rates["participants"], rates["passed"], rates["exempt"]) == (
        58, 56, 53, 1)  # fmt: skip
    assert rates["participation_rate"] == 0.9655 and rates["pass_rate"] == 0.9464
    assert "participants ÷ required" in [d["definition"] for d in report["definitions"]]

    data = annual(db_url, 2026)
    paragraph = data["paragraph"]
    check_numbers(paragraph, data["numbers"], figures)
    assert paragraph.startswith("2026年，本单位组织集中学习3次（6.5学时），举办专题讲座1次，")
    assert "专题研讨民法典1次" in paragraph  # the one seminar had one topic
    assert "学习《宪法》、《民法典》等法律法规4部" in paragraph  # the two most studied named
    assert "组织网络课程学习2门，60名干部职工累计参加学习191人次、440.5学时。" in paragraph
    assert ("组织干部职工参加《2026年度法宣在线学法考试》，应参考58人，实际参考56人，及格53人，"
            "参考率96.5%，及格率94.6%。") in paragraph  # fmt: skip
    assert "开展普法宣传活动3次，发放宣传资料2000份，接受群众法律咨询195人次。" in paragraph
    assert "与上年相比" not in paragraph  # no exam in 2025
    assert "参与群众" not in paragraph and not re.search(r"\D0(次|人|部|份)", paragraph)
    assert "next_steps" not in data
    # JSON: numbers as numbers
    assert data["figures"]["person_hours"] == 440.5 and data["figures"]["laws"] == 4
    assert data["figures"]["participation_rate"] == 0.9655

    rounded = annual(db_url, 2026, "--approximate")
    check_numbers(rounded["paragraph"], rounded["numbers"], figures, approximate=True)
    assert "累计参加学习190余人次、440余学时" in rounded["paragraph"]
    assert "60名干部职工" in rounded["paragraph"]  # 60 is on the grid: no 余
    assert "发放宣传资料2000份，接受群众法律咨询190余人次" in rounded["paragraph"]
    assert "应参考58人，实际参考56人，及格53人，参考率96.5%" in rounded["paragraph"]

    english = annual(db_url, 2026, "--approximate", lang="en")
    check_numbers(english["paragraph"], english["numbers"], figures, approximate=True)
    assert english["paragraph"].startswith("In 2026, the unit held 3 collective study sessions")
    assert "58 required to sit, 56 sat, 53 passed, participation rate 96.5%, pass rate 94.6%" in (
        english["paragraph"])  # fmt: skip
    assert "60 staff attended over 190 times in all, over 440 person-hours" in english["paragraph"]
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"《[^》]*》|民法典", "", english["paragraph"]))

    # the next steps: absentees, failures, people below the required hours
    study = json.loads(run(db_url, "en", "report", "study", "--year", "2026", "--required-hours",
                           "8", "--format", "json"))  # fmt: skip
    below = len(study["tables"][4]["rows"])  # the table of people below 8 hours
    assert below == 30  # only the 30 online-course takers reached 8 hours
    steps = annual(db_url, 2026, "--next-steps", "--required-hours", "8")
    assert steps["paragraph"] == paragraph
    assert steps["next_steps"] == (
        "下一步，督促《2026年度法宣在线学法考试》未参考的2人参加补考；"
        "组织《2026年度法宣在线学法考试》未及格的3人补学补考；"
        "督促全年学习不足8学时的30人补足学时。"
    )
    assert [(n["figure"], n["value"]) for n in steps["next_steps_numbers"]] == [
        ("exams.fxzx-2026.absent", 58 - 56), ("exams.fxzx-2026.failed", 56 - 53),
        ("required_hours", 8), ("below_required_hours", below),
    ]  # fmt: skip

    md = run(db_url, "zh", "report", "annual", "--year", "2026", "--next-steps")
    assert paragraph in md and "## 下一步工作打算\n\n下一步，督促" in md
    docx_path = tmp_path / "annual.docx"
    run(db_url, "zh", "report", "annual", "--year", "2026", "--format", "docx", "-o",
        str(docx_path))  # fmt: skip
    import docx

    text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert paragraph in text


def test_annual_leaves_out_what_has_no_data(db_url: str, tmp_path: Path) -> None:
    people = build_bureau(db_url, tmp_path)  # study and outreach in 2026, no exam
    in_post = [no for no, _, _ in people if no != "0060"]

    # 2026: study and outreach, no exam: no exam sentence, no rate
    data = annual(db_url, 2026, "--next-steps")
    check_numbers(data["paragraph"], data["numbers"], source_figures(db_url, 2026))
    assert "参考率" not in data["paragraph"] and "考试" not in data["paragraph"]
    assert data["next_steps"] == "从本年度数据看，未发现明显差距，下一步将继续保持。"

    # 2025: nothing at all, in both languages
    empty = annual(db_url, 2025, "--next-steps")
    assert empty["paragraph"] == "2025年未录入学习、考试和普法宣传数据，暂无可报告的内容。"
    assert empty["next_steps"] == "本年度暂无数据，无法据以提出下一步工作打算。"
    assert [n["figure"] for n in empty["numbers"]] == ["year"]
    assert annual(db_url, 2025, lang="en")["paragraph"] == (
        "There are no study, exam or outreach records for 2025: nothing to report."
    )

    # 2027: two exams and no study records: no study sentence; 100% said once as 均为100%
    add_exam(db_url, tmp_path, "a-2027", "甲考试", 2027, dict.fromkeys(in_post, "90"))
    add_exam(db_url, tmp_path, "b-2027", "乙考试", 2027,
             {no: ("50" if no == "0002" else "90") for no in in_post[:57]})  # fmt: skip
    data = annual(db_url, 2027, "--next-steps")
    figures = source_figures(db_url, 2027)
    check_numbers(data["paragraph"], data["numbers"], figures)
    assert data["paragraph"] == (
        "2027年，本单位组织干部职工参加学法考试2场："
        "《甲考试》应参考59人，实际参考59人，及格59人，参考率和及格率均为100%"
        "（考试尚未结束，以上为阶段性数字）；"
        "《乙考试》应参考59人，实际参考57人，及格56人，参考率96.6%，及格率98.2%"
        "（考试尚未结束，以上为阶段性数字）。"
    )  # the 2027 exams close in November 2027: their figures are provisional
    assert data["next_steps"] == (
        "下一步，督促《乙考试》未参考的2人参加补考；组织《乙考试》未及格的1人补学补考。"
    )

    # 2028: one exam, fewer sat than in 2027: the change on the year before, and its next step
    add_exam(db_url, tmp_path, "c-2028", "丙考试", 2028, dict.fromkeys(in_post[:50], "90"))
    data = annual(db_url, 2028, "--next-steps")
    figures = source_figures(db_url, 2028)
    figures["participation_change"] = Decimal("-13.5")  # 84.7% against 98.3% (116 of 118)
    figures["pass_change"] = Decimal("0.8")  # 100% against 99.1% (115 of 116)
    check_numbers(data["paragraph"], data["numbers"], figures)
    assert data["paragraph"].endswith(
        "参考率84.7%，及格率100%（考试尚未结束，以上为阶段性数字），"
        "与上年相比，参考率下降13.5个百分点，及格率提高0.8个百分点。"
    )
    assert "查找参考率较上年下降13.5个百分点的原因并加以改进" in data["next_steps"]
    assert "督促《丙考试》未参考的9人参加补考" in data["next_steps"]


def test_required_hours_needs_next_steps(db_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", db_url, "report", "annual", "--year", "2026", "--required-hours", "8"]
    )
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "--required-hours 用于 --next-steps" in result.stderr
