"""CSV and Excel question banks: both layouts, every syntax variant, errors, export."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyhub.banks.context import ParseContext
from studyhub.banks.formats import table
from studyhub.banks.formats.answers import strip_inline_options, strip_number
from studyhub.banks.formats.table import export_xlsx, parse_csv, parse_xlsx
from studyhub.banks.record import BankHeader, QuestionRecord
from studyhub.errors import InputError, LocatedError, StudyhubError

Parser = Callable[[ParseContext], Iterator[QuestionRecord]]
NO_HEADER = "no header row found (expected 题干 or 题目内容 in one of the first 10 rows)"


def write_csv(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "bank.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, sheets: dict[str, list[list[Any]]], name: str = "bank.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def run(
    path: Path, parser: Parser = parse_csv, skip: bool = False
) -> tuple[list[QuestionRecord], list[str]]:
    ctx = ParseContext(path, display=path.name, skip_unsupported=skip)
    records = list(parser(ctx))
    return records, [str(e) for e in ctx.errors]


def csv_records(tmp_path: Path, text: str) -> list[QuestionRecord]:
    records, errors = run(write_csv(tmp_path, text))
    assert errors == []
    return records


def csv_errors(tmp_path: Path, text: str) -> list[str]:
    return run(write_csv(tmp_path, text))[1]


def single(stem: str, options: list[str], correct: list[int], **kw: Any) -> QuestionRecord:
    qtype = "multiple" if len(correct) > 1 else "single"
    return QuestionRecord(qtype, stem, options=options, correct=correct, **kw)


# --------------------------------------------------------------------------- wide layout


def test_wide_chinese_headers_all_columns(tmp_path: Path) -> None:
    text = (
        "编号,题型,题干,选项A,选项B,选项C,选项D,答案,解析,难度,出处,标签,分值,知识点\n"
        "q1,单选,宪法是国家的（  ）。,普通法,根本法,,,B,宪法序言,2,《宪法》序言,"
        '"宪法，基础、总纲",2,宪法\n'
        "q2,多选题,下列属于国家机关的有,全国人大,国务院,某公司,法院,"
        "A、B、D,,难,,,1.5,\n"
        "q3,判断题,宪法是根本大法。,,,,,错,,较易,,标签;标签2,,\n"
        "q4,填空题,首都是（  ），最大城市是(  )。,,,,,北京|北平;上海,,中,,,,\n"
        "q5,单项选择,小写答案,甲,乙,,,a,,,,,,\n"
        "q6,不定项,不定项多选,甲,乙,丙,,AB,,,,,,\n"
        "q7,不定项选择题,不定项单选,甲,乙,丙,,C,,,,,,\n"
        "q8,判断,对错,,,,,√,,,,,,\n"
    )
    assert csv_records(tmp_path, text) == [
        single(
            "宪法是国家的（  ）。",
            ["普通法", "根本法"],
            [1],
            external_id="q1",
            explanation="宪法序言",
            difficulty=2,
            source="《宪法》序言",
            tags=["宪法", "基础", "总纲", "宪法"],
            points=Decimal(2),
        ),
        single(
            "下列属于国家机关的有",
            ["全国人大", "国务院", "某公司", "法院"],
            [0, 1, 3],
            external_id="q2",
            difficulty=5,
            points=Decimal("1.5"),
        ),
        QuestionRecord(
            "judge",
            "宪法是根本大法。",
            truth=False,
            external_id="q3",
            difficulty=2,
            tags=["标签", "标签2"],
        ),
        QuestionRecord(
            "fill",
            "首都是____，最大城市是____。",
            blanks=[["北京", "北平"], ["上海"]],
            external_id="q4",
            difficulty=3,
        ),
        single("小写答案", ["甲", "乙"], [0], external_id="q5"),
        single("不定项多选", ["甲", "乙", "丙"], [0, 1], external_id="q6"),
        single("不定项单选", ["甲", "乙", "丙"], [2], external_id="q7"),
        QuestionRecord("judge", "对错", truth=True, external_id="q8"),
    ]


def test_wide_english_headers(tmp_path: Path) -> None:
    text = (
        "ID,Type,Question,Option A,Option B,Answer,Explanation,Difficulty,Source,Tags,Points,"
        "Topic\n"
        "e1,single,Which?,yes,no,A,because,1,Art. 1,a,3,law\n"
        'e2,Multiple,Which ones?,x,y,"A,B",,,,,,\n'
        "e3,true-false,Sky is blue.,,,true,,,,,,\n"
        "e4,judge,Grass is red.,,,F,,,,,,\n"
        "e5,fill,Capital: ____.,,,Beijing,,,,,,\n"
    )
    assert csv_records(tmp_path, text) == [
        single(
            "Which?",
            ["yes", "no"],
            [0],
            external_id="e1",
            explanation="because",
            difficulty=1,
            source="Art. 1",
            tags=["a", "law"],
            points=Decimal(3),
        ),
        single("Which ones?", ["x", "y"], [0, 1], external_id="e2"),
        QuestionRecord("judge", "Sky is blue.", truth=True, external_id="e3"),
        QuestionRecord("judge", "Grass is red.", truth=False, external_id="e4"),
        QuestionRecord("fill", "Capital: ____.", blanks=[["Beijing"]], external_id="e5"),
    ]


def test_header_variants_letters_full_width_and_required_marks(tmp_path: Path) -> None:
    text = " *题干 ,A,b,选项Ｃ,选项d,OPTION E,*正确答案,答案解析,来源\n问,1,2,3,4,5,E,析,据\n"
    assert csv_records(tmp_path, text) == [
        single("问", ["1", "2", "3", "4", "5"], [4], explanation="析", source="据")
    ]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("ABD", [0, 1, 3]), ("A,B,D", [0, 1, 3]), ("A、B", [0, 1]), ("b d", [1, 3]),
     ("ＡＣ", [0, 2]), ("A，C", [0, 2]), ("BA", [0, 1]), ("AAB", [0, 1])],
)  # fmt: skip
def test_choice_answer_spellings(tmp_path: Path, answer: str, expected: list[int]) -> None:
    text = f'题型,题干,A,B,C,D,答案\n多选,问,1,2,3,4,"{answer}"\n'
    assert csv_records(tmp_path, text)[0].correct == expected


@pytest.mark.parametrize(
    ("answer", "truth"),
    [("对", True), ("错", False), ("正确", True), ("错误", False), ("√", True), ("×", False),
     ("✓", True), ("✗", False), ("T", True), ("F", False), ("true", True), ("FALSE", False),
     ("是", True), ("否", False), ("A", True), ("B", False), ("Ｔ", True)],
)  # fmt: skip
def test_judge_answer_words(tmp_path: Path, answer: str, truth: bool) -> None:
    for qtype in ("判断", ""):  # given and inferred
        records = csv_records(tmp_path, f"题型,题干,答案\n{qtype},说法,{answer}\n")
        assert records == [QuestionRecord("judge", "说法", truth=truth)]


def test_judge_letters_name_the_options_when_they_are_words(tmp_path: Path) -> None:
    text = "题型,题干,选项A,选项B,答案\n判断,甲,错误,正确,A\n,乙,对,错,B\n判断,丙,是,否,A\n"
    assert csv_records(tmp_path, text) == [
        QuestionRecord("judge", "甲", truth=False),
        QuestionRecord("judge", "乙", truth=False),
        QuestionRecord("judge", "丙", truth=True),
    ]


def test_type_inferred_without_type_column(tmp_path: Path) -> None:
    text = (
        "题干,选项A,选项B,选项C,答案\n"
        "单,甲,乙,丙,C\n"
        '多,甲,乙,丙,"A,C"\n'
        "判,,,,×\n"
        "填,,,,北京\n"
        "填空（ ）,,,,北京\n"
    )
    records, errors = run(write_csv(tmp_path, text))
    assert records == [
        single("单", ["甲", "乙", "丙"], [2]),
        single("多", ["甲", "乙", "丙"], [0, 2]),
        QuestionRecord("judge", "判", truth=False),
        QuestionRecord("fill", "填空____", blanks=[["北京"]]),
    ]
    assert errors == [
        "bank.csv, row 5, field 答案: cannot tell the question type from the answer 北京; give 题型"
    ]


def test_type_cannot_be_inferred_reported_at_the_empty_type_cell(tmp_path: Path) -> None:
    assert csv_errors(tmp_path, "题型,题干,选项A,答案\n,问,甲,也许\n") == [
        "bank.csv, row 2, field 题型: cannot tell the question type from the answer 也许; give 题型"
    ]


def test_fill_blank_spellings_and_escapes(tmp_path: Path) -> None:
    text = (
        "题型,题干,答案\n"
        "填空,a______b___c,x;y\n"
        "填空,（　）与()与(  ),1；2|二；3\n"
        "填空,____,a\\|b|c\\；d|e\\\\f\n"
        "填空,尾随____,甲；\n"
        '填空,空格____," 甲 | 乙 "\n'
    )
    assert csv_records(tmp_path, text) == [
        QuestionRecord("fill", "a____b____c", blanks=[["x"], ["y"]]),
        QuestionRecord("fill", "____与____与____", blanks=[["1"], ["2", "二"], ["3"]]),
        QuestionRecord("fill", "____", blanks=[["a|b", "c；d", "e\\f"]]),
        QuestionRecord("fill", "尾随____", blanks=[["甲"]]),
        QuestionRecord("fill", "空格____", blanks=[["甲", "乙"]]),
    ]


def test_fill_errors(tmp_path: Path) -> None:
    text = "题型,题干,答案\n填空,a____b____,x;;y\n填空,a____,x;y\n填空,无空,x\n填空,__两个,x\n"
    assert csv_errors(tmp_path, text) == [
        "bank.csv, row 2, field 答案: blank 2 has no accepted answer",
        "bank.csv, row 2, field 答案: the stem has 2 blanks but the answer gives 3",
        "bank.csv, row 3, field 答案: the stem has 1 blank but the answer gives 2",
        "bank.csv, row 4, field 题干: the stem has no blank (mark each blank with ____ or （  ）)",
        "bank.csv, row 5, field 题干: the stem has no blank (mark each blank with ____ or （  ）)",
    ]


def test_choice_stem_keeps_its_brackets_and_judge_options_are_dropped(tmp_path: Path) -> None:
    text = "题型,题干,选项A,选项B,答案\n单选,是（  ）___,甲,乙,A\n判断,说法,正确,错误,A\n"
    assert csv_records(tmp_path, text) == [
        single("是（  ）___", ["甲", "乙"], [0]),
        QuestionRecord("judge", "说法", truth=True),
    ]


def test_answers_out_of_range_are_left_to_the_validator(tmp_path: Path) -> None:
    text = "题型,题干,选项A,选项B,答案,难度\n单选,问,甲,乙,AB,9\n单选,问2,甲,乙,H,\n"
    assert csv_records(tmp_path, text) == [
        QuestionRecord("single", "问", options=["甲", "乙"], correct=[0, 1], difficulty=9),
        QuestionRecord("single", "问2", options=["甲", "乙"], correct=[7]),
    ]


def test_difficulty_words_and_numbers(tmp_path: Path) -> None:
    values = ["易", "较易", "中", "较难", "难", "1", "2.0", "３", "中等", "简单", "困难"]
    rows = "".join(f"判断,问{i},对,{v}\n" for i, v in enumerate(values))
    records = csv_records(tmp_path, "题型,题干,答案,难度\n" + rows)
    assert [r.difficulty for r in records] == [1, 2, 3, 4, 5, 1, 2, 3, 3, 1, 5]


def test_field_errors_name_row_and_field(tmp_path: Path) -> None:
    text = (
        "题型,题干,选项A,选项B,选项C,答案,难度,分值\n"
        "单择,问,甲,乙,,A,,\n"
        "单选,问,甲,乙,,1,,\n"
        "单选,问,甲,乙,,,,\n"
        "判断,问,,,,也许,,\n"
        "判断,问,,,,对,很难,两分\n"
        "单选,问,甲,,丙,A,2.5,\n"
        "判断,问,,,,对,3,2分\n"
    )
    records, errors = run(write_csv(tmp_path, text))
    assert records == [QuestionRecord("judge", "问", truth=True, difficulty=3, points=Decimal(2))]
    assert errors == [
        "bank.csv, row 2, field 题型: unknown question type 单择"
        " (expected 单选, 多选, 判断 or 填空)",
        "bank.csv, row 3, field 答案: answer 1 is neither option letters A-H nor the text of"
        " an option",
        "bank.csv, row 4, field 答案: the answer is empty",
        "bank.csv, row 5, field 答案: answer 也许 is not 正确/错误 (对/错, √/×, T/F, A/B)",
        "bank.csv, row 6, field 难度: difficulty 很难 is not 1-5 or 易/较易/中/较难/难",
        "bank.csv, row 6, field 分值: points 两分 is not a number like 2 or 1.5",
        "bank.csv, row 7, field 选项B: option B is empty but option C is filled",
        "bank.csv, row 7, field 难度: difficulty 2.5 is not 1-5 or 易/较易/中/较难/难",
    ]


def test_unsupported_types_error_or_skip(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "题型,题干,答案\n简答题,论述,略\n判断,说法,对\n")
    records, errors = run(path)
    assert records == [QuestionRecord("judge", "说法", truth=True)]
    assert errors == [
        "bank.csv, row 2, field 题型: unsupported question type 简答题;"
        " use --skip-unsupported to skip it"
    ]
    ctx = ParseContext(path, display="bank.csv", skip_unsupported=True)
    assert len(list(parse_csv(ctx))) == 1
    assert ctx.errors == []
    assert [str(e) for e in ctx.skipped] == [
        "bank.csv, row 2, field 题型: unsupported question type 简答题 (skipped)"
    ]


# --------------------------------------------------------------------------- header errors


def test_no_header_row(tmp_path: Path) -> None:
    assert csv_errors(tmp_path, "这是说明\n1,2,3\n") == [f"bank.csv, row 1: {NO_HEADER}"]
    assert csv_errors(tmp_path, "") == [f"bank.csv, row 1: {NO_HEADER}"]


def test_header_after_ten_rows_is_not_found(tmp_path: Path) -> None:
    text = "说明\n" * 10 + "题干,答案\n问,对\n"
    assert csv_errors(tmp_path, text) == [f"bank.csv, row 1: {NO_HEADER}"]
    records = csv_records(tmp_path, "说明\n" * 9 + "题干,答案\n问,对\n")
    assert records[0].location is not None and records[0].location.line == 11


def test_missing_required_columns(tmp_path: Path) -> None:
    assert csv_errors(tmp_path, "题型,题干,选项A\n单选,问,甲\n") == [
        "bank.csv, row 1: missing column 答案"
    ]
    assert csv_errors(tmp_path, "说明\n题型,选项A,选项B\n单选,甲,乙\n") == [
        "bank.csv, row 2: missing column 题干",
        "bank.csv, row 2: missing column 答案",
    ]


def test_question_column_alone_is_a_header(tmp_path: Path) -> None:
    assert csv_errors(tmp_path, "题干\n问\n") == ["bank.csv, row 1: missing column 答案"]
    assert csv_errors(tmp_path, "题目内容\n问\n") == [
        "bank.csv, row 1: missing column 题目序号",
        "bank.csv, row 1: missing column 是否正确项",
        "bank.csv, row 1: missing column 选项内容",
    ]


@pytest.mark.parametrize("points", ["1e7", "1000000", "0.0000001", "NaN", "-Infinity", "二"])
def test_points_must_be_plain_numbers(tmp_path: Path, points: str) -> None:
    assert csv_errors(tmp_path, f"题干,答案,分值\n问,对,{points}\n") == [
        f"bank.csv, row 2, field 分值: points {points} is not a number like 2 or 1.5"
    ]


def test_unknown_and_duplicate_columns(tmp_path: Path) -> None:
    text = "题干,备注,,选项A,A,答案\n问,x,y,甲,乙,A\n"
    records, errors = run(write_csv(tmp_path, text))
    assert errors == [
        "bank.csv, row 1: unknown column 备注",
        "bank.csv, row 1: duplicate column A (same as 选项A)",
    ]
    assert records == [QuestionRecord("single", "问", options=["甲"], correct=[0])]


# --------------------------------------------------------------------------- CSV specifics


def test_csv_gbk_encoded(tmp_path: Path) -> None:
    text = "题型,题干,选项A,选项B,答案\r\n单选,《宪法》规定,甲,乙,B\r\n"
    path = write_csv(tmp_path, text, encoding="gbk")
    records, errors = run(path)
    assert errors == []
    assert records == [single("《宪法》规定", ["甲", "乙"], [1])]


def test_csv_with_bom(tmp_path: Path) -> None:
    text = "\ufeff题干,答案\n宪法是根本法,对\n"
    assert csv_records(tmp_path, text) == [QuestionRecord("judge", "宪法是根本法", truth=True)]


def test_csv_instruction_rows_above_header(tmp_path: Path) -> None:
    text = "题库导入模板,,\n题型填：单选/多选/判断,,\n题型,题干,答案\n判断,甲,对\n\n判断,乙,错\n"
    records = csv_records(tmp_path, text)
    assert records == [
        QuestionRecord("judge", "甲", truth=True),
        QuestionRecord("judge", "乙", truth=False),
    ]
    assert [str(r.location) for r in records] == ["bank.csv, row 4", "bank.csv, row 6"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters(tmp_path: Path, delimiter: str) -> None:
    rows = [["题干", "选项A", "选项B", "答案"], ["问,甲;乙", "1", "2", "B"]]
    text = "".join(
        delimiter.join(f'"{c}"' if delimiter in c else c for c in row) + "\n" for row in rows
    )
    assert csv_records(tmp_path, text) == [single("问,甲;乙", ["1", "2"], [1])]


def test_csv_quoted_newlines_count_records(tmp_path: Path) -> None:
    text = '题型,题干,答案\r\n判断,"第一行\r\n第二行\r\n第三行",对\r\n判断,问,也许\r\n'
    records, errors = run(write_csv(tmp_path, text))
    assert records == [QuestionRecord("judge", "第一行\n第二行\n第三行", truth=True)]
    assert errors == [
        "bank.csv, row 3, field 答案: answer 也许 is not 正确/错误 (对/错, √/×, T/F, A/B)"
    ]


def test_csv_extra_values_are_reported(tmp_path: Path) -> None:
    text = "题型,题干,答案\n判断,甲,乙,对\n判断,丙,对,,\n"
    records, errors = run(write_csv(tmp_path, text))
    assert records == [QuestionRecord("judge", "丙", truth=True)]
    assert errors == [
        "bank.csv, row 2: row has 4 values but the header has 3 columns"
        " (quote values that contain the delimiter)"
    ]


def test_csv_unterminated_quote(tmp_path: Path) -> None:
    path = write_csv(tmp_path, '题干,答案\n问,对\n"问,对\n')
    ctx = ParseContext(path, display="bank.csv")
    with pytest.raises(LocatedError) as info:
        list(parse_csv(ctx))
    assert str(info.value) == 'bank.csv, row 3: a quoted value is never closed (missing ")'


def test_csv_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "bank.csv"
    path.write_bytes(b"stem,answer\nx,\x81\x20\n")
    with pytest.raises(LocatedError) as info:
        list(parse_csv(ParseContext(path, display="bank.csv")))
    assert str(info.value) == (
        "bank.csv, line 2: cannot decode the file: it is neither UTF-8 nor GB18030 (GBK)"
    )


def test_too_large_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table, "MAX_FILE_BYTES", 10)
    path = write_csv(tmp_path, "题干,答案\n问,对\n")
    for parser in (parse_csv, parse_xlsx):
        with pytest.raises(LocatedError) as info:
            list(parser(ParseContext(path, display="bank.csv")))
        assert str(info.value) == "bank.csv: the file is too large (22 bytes; at most 10)"


def test_formula_guard_quote_is_stripped(tmp_path: Path) -> None:
    text = "题干,选项A,选项B,答案\n'=1+1,'-1,''@x,A\n'普通,'+,'',B\n"
    assert csv_records(tmp_path, text) == [
        single("=1+1", ["-1", "'@x"], [0]),
        single("'普通", ["+", "''"], [1]),
    ]


# --------------------------------------------------------------------------- row per option

ROWS_HEADER = ["题目序号", "题目类型", "题目内容", "整体解析", "是否正确项", "选项内容"]


def rows_csv(rows: list[list[str]], header: list[str] = ROWS_HEADER) -> str:
    return "".join(",".join(row) + "\n" for row in [header, *rows])


def test_rows_layout(tmp_path: Path) -> None:
    header = [*ROWS_HEADER, "分值", "难度", "出处", "标签", "选项序号"]
    text = rows_csv(
        [
            ["1", "1", "宪法是", "析", "0", "普通法", "2", "3", "《宪法》", "宪法", "A"],
            ["1", "1", "宪法是", "析", "1", "根本法", "2", "3", "《宪法》", "宪法", "B"],
            ["2", "2", "机关有", "", "1", "国务院", "", "", "", "", "A"],
            ["2", "2", "机关有", "", "0", "公司", "", "", "", "", "B"],
            ["2", "2", "机关有", "", "1", "法院", "", "", "", "", "C"],
            ["3", "3", "判断甲", "", "0", "正确", "", "", "", "", ""],
            ["3", "3", "判断甲", "", "1", "错误", "", "", "", "", ""],
            ["4", "判断题", "判断乙", "", "1", "对", "", "", "", "", ""],
            ["", "", "", "", "0", "错", "", "", "", "", ""],
            ["5", "多选", "多选词", "", "是", "甲", "", "", "", "", ""],
            ["5", "多选", "多选词", "", "", "乙", "", "", "", "", ""],
            ["6", "", "推断", "", "1", "甲", "", "", "", "", ""],
            ["6", "", "推断", "", "1", "乙", "", "", "", "", ""],
            ["7", "单选", "空选项行", "", "0", "", "", "", "", "", ""],
            ["7", "单选", "空选项行", "", "1", "甲", "", "", "", "", ""],
            ["7", "单选", "空选项行", "", "0", "乙", "", "", "", "", ""],
        ],
        header,
    )
    records = csv_records(tmp_path, text)
    assert records == [
        single(
            "宪法是",
            ["普通法", "根本法"],
            [1],
            explanation="析",
            points=Decimal(2),
            difficulty=3,
            source="《宪法》",
            tags=["宪法"],
        ),
        single("机关有", ["国务院", "公司", "法院"], [0, 2]),
        QuestionRecord("judge", "判断甲", truth=False),
        QuestionRecord("judge", "判断乙", truth=True),
        QuestionRecord("multiple", "多选词", options=["甲", "乙"], correct=[0]),
        single("推断", ["甲", "乙"], [0, 1]),
        single("空选项行", ["甲", "乙"], [0]),
    ]
    assert [r.location.line for r in records if r.location] == [2, 4, 7, 9, 11, 13, 15]


def test_rows_layout_errors(tmp_path: Path) -> None:
    text = rows_csv(
        [
            ["", "1", "无序号", "", "1", "甲"],
            ["1", "1", "问", "", "是的", "甲"],
            ["1", "1", "问", "", "1", "乙"],
            ["2", "1", "无正确项", "", "0", "甲"],
            ["2", "1", "无正确项", "", "0", "乙"],
            ["3", "3", "两个正确", "", "1", "正确"],
            ["3", "3", "两个正确", "", "1", "错误"],
            ["4", "3", "怪选项", "", "0", "正确"],
            ["4", "3", "怪选项", "", "1", "也许"],
            ["5", "4", "未知", "", "1", "甲"],
            ["6", "填空", "填空", "", "1", "甲"],
            ["7", "1", "好", "", "1", "甲"],
            ["8", "1", "正确无文", "", "1", ""],
            ["7", "1", "重复", "", "1", "甲"],
            ["9", "简答题", "简答", "", "1", "甲"],
        ]
    )
    records, errors = run(write_csv(tmp_path, text))
    assert records == [single("好", ["甲"], [0])]
    assert errors == [
        "bank.csv, row 2, field 题目序号: the question number is empty",
        "bank.csv, row 3, field 是否正确项: 是的 is not 0 or 1",
        "bank.csv, row 5, field 是否正确项: no option is marked correct",
        "bank.csv, row 7, field 是否正确项: a 判断 question needs exactly one option marked"
        " correct",
        "bank.csv, row 10, field 选项内容: the correct option 也许 is not 正确 or 错误",
        "bank.csv, row 11, field 题目类型: unknown question type 4"
        " (expected 1 = 单选, 2 = 多选, 3 = 判断)",
        "bank.csv, row 12, field 题目类型: 填空 questions cannot be given one row per option",
        "bank.csv, row 14, field 选项内容: an option marked correct has no text",
        "bank.csv, row 15, field 题目序号: question number 7 was already used at row 13",
        "bank.csv, row 16, field 题目类型: unsupported question type 简答题;"
        " use --skip-unsupported to skip it",
    ]


def test_rows_layout_missing_columns(tmp_path: Path) -> None:
    text = "题目序号,题目内容,选项内容,答案\n1,问,甲,A\n"
    assert csv_errors(tmp_path, text) == [
        "bank.csv, row 1: unknown column 答案",
        "bank.csv, row 1: missing column 是否正确项",
    ]


# --------------------------------------------------------------------------- Excel


def test_xlsx_numbers_sheets_and_instruction_rows(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        {
            "说明": [["请在后面的工作表中填写题目"], ["题型可填单选、多选、判断、填空"]],
            "单选": [
                ["导入说明：第二行是表头"],
                ["编号", "题型", "题干", "选项A", "选项B", "答案", "难度", "分值"],
                [12, "单选", "问", 1, 2.5, "B", 3.0, 2.5],
                [13.0, "单选", "问2", "'=A1", "'-1", "A", 4, 2],
            ],
            "判断": [
                ["题干", "答案", "难度"],
                ["判断甲", True, None],
                [None, None, None],
                ["判断乙", "×", "较难"],
            ],
        },
    )
    records, errors = run(path, parse_xlsx)
    assert errors == []
    assert records == [
        single("问", ["1", "2.5"], [1], external_id="12", difficulty=3, points=Decimal("2.5")),
        single("问2", ["=A1", "-1"], [0], external_id="13", difficulty=4, points=Decimal(2)),
        QuestionRecord("judge", "判断甲", truth=True),
        QuestionRecord("judge", "判断乙", truth=False, difficulty=4),
    ]
    assert [str(r.location) for r in records] == [
        "bank.xlsx, sheet 单选, row 3",
        "bank.xlsx, sheet 单选, row 4",
        "bank.xlsx, sheet 判断, row 2",
        "bank.xlsx, sheet 判断, row 4",
    ]


def test_xlsx_missing_stem_column(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        {
            "题库": [
                ["单选题导入模板"],
                ["题型", "选项A", "选项B", "答案"],
                ["单选", "甲", "乙", "A"],
            ]
        },
    )
    assert run(path, parse_xlsx) == ([], ["bank.xlsx, sheet 题库, row 2: missing column 题干"])


def test_xlsx_field_errors_name_the_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"题库": [["题干", "答案", "备注"], ["问", "也许", "x"]]})
    assert run(path, parse_xlsx)[1] == [
        "bank.xlsx, sheet 题库, row 1: unknown column 备注",
        "bank.xlsx, sheet 题库, row 2, field 答案: cannot tell the question type from the"
        " answer 也许; give 题型",
    ]


def test_xlsx_rows_layout_with_merged_style_cells(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        {
            "Sheet1": [
                ROWS_HEADER,
                [1, 1, "问", None, 0, "甲"],
                [None, None, None, None, 1, "乙"],
                [2.0, 3, "判断", None, 1.0, "对"],
                [None, None, None, None, 0, "错"],
            ]
        },
    )
    records, errors = run(path, parse_xlsx)
    assert errors == []
    assert records == [single("问", ["甲", "乙"], [1]), QuestionRecord("judge", "判断", truth=True)]


def test_xlsx_without_any_header(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"A": [["说明"]], "B": []})
    assert run(path, parse_xlsx) == ([], [f"bank.xlsx, row 1: {NO_HEADER}"])


def test_xlsx_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "bank.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(LocatedError) as info:
        run(path, parse_xlsx)
    assert str(info.value) == "bank.xlsx: not an Excel .xlsx workbook (not a zip archive)"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(LocatedError) as info:
        run(path, parse_xlsx)
    assert str(info.value) == (
        "bank.xlsx: not a readable Excel .xlsx workbook (damaged or another format)"
    )


# --------------------------------------------------------------------------- export

SAMPLE = [
    QuestionRecord(
        "single", "宪法是（  ）", options=["普通法", "根本法", "=SUM(A1)"], correct=[1],
        external_id="q1", explanation="-见序言", source="《宪法》序言", difficulty=2,
        tags=["宪法", "总纲"], points=Decimal("1.5"),
    ),
    QuestionRecord("multiple", "@机关", options=["甲", "乙"], correct=[0, 1], points=Decimal(2)),
    QuestionRecord("judge", "说法", truth=False, difficulty=5),
    QuestionRecord("judge", "说法2", truth=True),
    QuestionRecord("fill", "____和____", blanks=[["北京", "北平"], ["a|b;c", "+1"]]),
]  # fmt: skip


def export_bytes(records: list[QuestionRecord]) -> bytes:
    stream = io.BytesIO()
    export_xlsx(records, BankHeader(title="测试"), stream)
    return stream.getvalue()


def test_export_layout() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes(SAMPLE)))
    assert workbook.sheetnames == ["题库"]
    rows = [list(r) for r in workbook["题库"].iter_rows(values_only=True)]
    assert rows == [
        ["编号", "题型", "题干", "选项A", "选项B", "选项C", "答案", "解析", "难度", "出处",
         "标签", "分值"],
        ["q1", "单选", "宪法是（  ）", "普通法", "根本法", "'=SUM(A1)", "B", "'-见序言", 2,
         "《宪法》序言", "宪法、总纲", 1.5],
        [None, "多选", "'@机关", "甲", "乙", None, "AB", None, None, None, None, 2],
        [None, "判断", "说法", None, None, None, "错误", None, 5, None, None, None],
        [None, "判断", "说法2", None, None, None, "正确", None, None, None, None, None],
        [None, "填空", "____和____", None, None, None, "北京|北平；a\\|b\\;c|+1", None, None,
         None, None, None],
    ]  # fmt: skip


def test_export_without_choice_questions_has_no_option_columns() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes(SAMPLE[2:3])))
    header = next(workbook["题库"].iter_rows(values_only=True))
    assert list(header) == ["编号", "题型", "题干", "答案", "解析", "难度", "出处", "标签", "分值"]


def test_export_refuses_more_than_eight_options() -> None:
    record = QuestionRecord("single", "问", options=[str(i) for i in range(9)], correct=[0])
    with pytest.raises(InputError, match="at most 8"):
        export_bytes([record])


def test_export_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "bank.xlsx"
    path.write_bytes(export_bytes(SAMPLE))
    records, errors = run(path, parse_xlsx)
    assert errors == []
    assert records == SAMPLE
    assert [str(r.location) for r in records][:2] == [
        "bank.xlsx, sheet 题库, row 2",
        "bank.xlsx, sheet 题库, row 3",
    ]


# --------------------------------------------------------------------------- properties

ALPHABET = "宪法根本国家机关公民权利第一条abcXYZ019 =+-@'|;；,，、\\｜\"\n\t()（）_.#"
PLAIN = st.text(alphabet=ALPHABET, max_size=12).map(str.strip)
#: a non-blank first character makes the stripped text non-empty (no filtering needed)
NONEMPTY = st.builds(
    lambda a, b: (a + b).strip(),
    st.sampled_from(ALPHABET.replace(" ", "").replace("\n", "").replace("\t", "")),
    PLAIN,
)
TAG = st.builds(
    lambda a, b: (a + b).strip(),
    st.sampled_from("宪法根本abc1@'=|\\"),
    st.text(alphabet=ALPHABET.translate(str.maketrans("", "", ",，、;；")), max_size=6),
)
FILL_PART = st.text(alphabet=ALPHABET.translate(str.maketrans("", "", "_()（）")), max_size=6)


@st.composite
def records(draw: st.DrawFn) -> QuestionRecord:
    qtype = draw(st.sampled_from(["single", "multiple", "judge", "fill"]))
    common: dict[str, Any] = {
        "external_id": draw(st.none() | NONEMPTY),
        "explanation": draw(PLAIN),
        "source": draw(PLAIN),
        "difficulty": draw(st.none() | st.integers(1, 5)),
        "tags": draw(st.lists(TAG, max_size=3)),
        "points": draw(
            st.none() | st.decimals(0, 1000, places=2, allow_nan=False, allow_infinity=False)
        ),
    }
    if qtype == "judge":
        stem = draw(PLAIN.filter(lambda s: strip_number(s) == s))  # a leading 1、 is a number
        return QuestionRecord("judge", stem, truth=draw(st.booleans()), **common)
    if qtype == "fill":
        blanks = draw(st.lists(st.lists(NONEMPTY, min_size=1, max_size=3), min_size=1, max_size=3))
        parts = [draw(FILL_PART) for _ in blanks] + [draw(FILL_PART)]
        parts[1:-1] = [p or "x" for p in parts[1:-1]]
        stem = "".join(p + "____" for p in parts[:-1]) + parts[-1]
        stem = stem.strip()
        stem = stem if strip_number(stem) == stem else "题" + stem  # a leading 1、 is a number
        return QuestionRecord("fill", stem, blanks=blanks, **common)
    options = draw(st.lists(NONEMPTY, min_size=2, max_size=8))
    size = 1 if qtype == "single" else draw(st.integers(2, len(options)))
    correct = sorted(draw(st.sets(st.integers(0, len(options) - 1), min_size=size, max_size=size)))
    stem = draw(PLAIN.filter(lambda s: strip_inline_options(strip_number(s), options) == s))
    return QuestionRecord(qtype, stem, options=options, correct=correct, **common)


HYPOTHESIS = settings(max_examples=200, deadline=None)
#: writing and reading a workbook takes milliseconds: fewer examples keep the module fast
SLOW_HYPOTHESIS = settings(HYPOTHESIS, max_examples=80)


def parse_bytes(data: bytes, parser: Parser, suffix: str) -> list[QuestionRecord]:
    """Parse data from a temporary file; only StudyhubError may escape."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bank{suffix}"
        path.write_bytes(data)
        ctx = ParseContext(path)
        try:
            result = list(parser(ctx))
        except StudyhubError:
            return []
        assert all(isinstance(e, LocatedError) for e in ctx.errors)
        return result


@SLOW_HYPOTHESIS
@given(st.lists(records(), min_size=1, max_size=5))
def test_property_export_parse_round_trip(items: list[QuestionRecord]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.xlsx"
        path.write_bytes(export_bytes(items))
        parsed, errors = run(path, parse_xlsx)
    assert errors == []
    assert parsed == items


@HYPOTHESIS
@given(st.binary(max_size=400))
def test_property_csv_arbitrary_bytes(data: bytes) -> None:
    parse_bytes(data, parse_csv, ".csv")


TOKENS = st.sampled_from(
    ["题干", "答案", "题型", "选项A", "选项B", "题目序号", "题目类型", "题目内容", "是否正确项",
     "选项内容", "单选", "多选", "判断", "填空", "简答", "A", "AB", "对", "1", "0", "3.5", "____",
     "（ ）", "a|b;c", ",", ";", "\t", "\n", "\r\n", '"', "'", "'=", "\\", "难", "分值", "难度"]
)  # fmt: skip


@HYPOTHESIS
@given(st.lists(TOKENS | st.text(max_size=3), max_size=60), st.sampled_from(["utf-8", "gb18030"]))
def test_property_csv_token_soup(tokens: list[str], encoding: str) -> None:
    parse_bytes("".join(tokens).encode(encoding, "replace"), parse_csv, ".csv")


@HYPOTHESIS
@given(st.binary(max_size=400))
def test_property_xlsx_arbitrary_bytes(data: bytes) -> None:
    parse_bytes(data, parse_xlsx, ".xlsx")


CELL = (
    TOKENS.filter(lambda t: not t.startswith("="))
    | st.none()
    | st.integers(-5, 20)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.booleans()
)


@SLOW_HYPOTHESIS
@given(st.lists(st.lists(CELL, max_size=8), max_size=8))
def test_property_xlsx_cell_soup(rows: list[list[Any]]) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("题库")
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    parse_bytes(stream.getvalue(), parse_xlsx, ".xlsx")
