"""report annual on the 60-person bureau: every number in the paragraph is traceable to
report rates and report study."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.test_scenario_bureau import build_bureau, cli_ok


def test_annual_paragraph_is_traceable(db_url: str, tmp_path: Path) -> None:
    people = build_bureau(db_url, tmp_path)
    exam = tmp_path / "fxzx.yaml"
    exam.write_text("key: fxzx-2026\ntitle: 2026年度法宣在线学法考试\nyear: 2026\nkind: external\n"
                    "opens: 2026-11-01\ncloses: 2026-11-30\n", encoding="utf-8")  # fmt: skip
    cli_ok(db_url, "exam", "create", str(exam))
    # 0060 left in June: not required; 0059 is exempt; 0058 and 0057 never sat;
    # 0001-0003 failed (55, 58, 59.99); everyone else passed
    scores = {"0001": "55", "0002": "58", "0003": "59.99"}
    lines = ["工号,成绩,提交时间"] + [
        f"{no},{scores.get(no, '88')},2026-11-2{n % 9} 10:00"
        for n, (no, _, _) in enumerate(people)
        if no not in ("0060", "0059", "0058", "0057")
    ]
    results = tmp_path / "fxzx.csv"
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli_ok(db_url, "exam", "import-results", "fxzx-2026", str(results))
    cli_ok(db_url, "exempt", "add", "0059", "--exam", "fxzx-2026", "--reason", "长期病假")

    report = json.loads(cli_ok(db_url, "report", "rates", "--year", "2026", "--format", "json"))
    [rates] = report["tables"][0]["rows"]
    assert (rates["required"], rates["participants"], rates["passed"], rates["exempt"]) == (
        58, 56, 53, 1)  # fmt: skip
    assert rates["participation_rate"] == 0.9655 and rates["pass_rate"] == 0.9464
    assert "participants ÷ required" in [d["definition"] for d in report["definitions"]]

    annual = json.loads(cli_ok(db_url, "report", "annual", "--year", "2026", "--format", "json"))
    study = json.loads(cli_ok(db_url, "report", "study", "--year", "2026", "--format", "json"))
    figures = annual["figures"]
    paragraph = annual["paragraph"]
    # every number in the paragraph is one of the figures...
    numbers = set(re.findall(r"\d+(?:\.\d+)?", paragraph))
    allowed = {str(v).rstrip("%") for v in figures.values() if v is not None} | {"2026"}
    assert numbers <= allowed, numbers - allowed
    # ...and the figures are the ones report rates and report study give
    assert (figures["required"], figures["participants"], figures["passed"]) == (58, 56, 53)
    assert figures["participation_rate"] == "96.5%" and figures["pass_rate"] == "94.6%"
    assert "参考率96.5%，及格率94.6%" in paragraph
    totals = {row["item"]: row["value"] for row in study["tables"][0]["rows"]}  # the totals
    assert figures["laws"] == totals["laws and regulations studied"] == 4
    assert figures["seminars"] == totals["seminars"]
    assert figures["outreach_events"] == totals["outreach events"]
    assert figures["materials"] == totals["materials handed out"]
    assert figures["consultations"] == totals["consultations"]
    assert figures["people"] == totals["people who attended"]
    assert float(figures["person_hours"]) == totals["person-hours"]
    assert figures["collective_sessions"] == 3  # 党组会, 中心组, 干部职工会
    assert figures["seminars"] == 1 and figures["lectures"] == 1
    assert figures["outreach_events"] == 3 and figures["materials"] == 2000
    assert "学习法律法规4部" in paragraph and "专题研讨1次" in paragraph
    assert "开展普法宣传活动3次，发放宣传资料2000份，接受群众法律咨询195人次" in paragraph

    md = cli_ok(db_url, "report", "annual", "--year", "2026")
    assert paragraph in md
    docx_path = tmp_path / "annual.docx"
    cli_ok(db_url, "report", "annual", "--year", "2026", "--format", "docx", "-o", str(docx_path))
    import docx

    text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert paragraph in text
