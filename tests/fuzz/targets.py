"""Fuzz targets for every file studyhub imports, shared by tests/fuzz/test_fuzz.py (a bounded
run in the normal suite) and bench/fuzz.py (a longer run with a time budget).

Each target has a valid seed file and a function that reads a file the way studyhub does.
Inputs are arbitrary bytes, or structured mutations of the seed: lines (or spreadsheet rows,
or .docx paragraphs) deleted, duplicated, swapped, replaced; the file truncated; special
characters injected; the text re-encoded. The rule: reading may fail only with a
StudyhubError that names a location (a LocatedError, or MultipleErrors of them); anything
else is a bug (:class:`Bug`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from studyhub.errors import LocatedError, MultipleErrors, StudyhubError

__all__ = ["TARGETS", "Bug", "Target", "check", "inputs", "prepare_database"]

#: text that formats escape, quote, or treat as syntax
SPECIALS = [
    "\x00",
    "\r",
    "\r\n",
    "\ufeff",
    "\u2028",
    "\x85",
    "\x1a",
    "\t",
    '"',
    "'",
    ",",
    ";",
    "；",
    "{",
    "}",
    "~",
    "=",
    "#",
    ":",
    "::",
    "\\",
    "%",
    "%-50%",
    "%200%",
    "[",
    "]",
    "|",
    "<",
    ">",
    "&",
    "&#0;",
    "&amp;",
    "]]>",
    "<![CDATA[",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>",
    "&a;",
    "答案：",
    "答案：Z",
    "ANSWER:",
    "ANSWER: Q",
    "A.",
    "A、",
    "（A）",
    "一、单选题",
    "二、多选题",
    "解析：",
    "____",
    "*",
    "- ",
    "? ",
    "!!python/object:os.system",
    "&x",
    "*x",
    "---",
    "...",
    "=1+1",
    "@SUM(A1)",
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "1e400",
    "0.001",
    "NaN",
    "inf",
    "Infinity",
    "-Infinity",
    ".nan",
    ".inf",
    "9" * 5000,  # past Python's limit for converting digits to an int
    "\\ud800",  # a lone surrogate, as JSON and YAML escape it
    '"\\udfff"',
    "[" * 3000,  # nesting past any parser's recursion
    "{" * 3000,
    "- " * 200,
    '<?xml version="1.0" encoding="GBK"?>',
    '<?xml version="1.0" encoding="GB18030"?>',
    '<?xml version="1.0" encoding="no-such-encoding"?>',
    "2026-02-30",
    "2026-13-01 25:61:61",
    "1900-01-01",
    "\U0001f600",
    "𠀀",
    "长" * 301,  # longer than every text column
    "k" * 65,  # longer than a key column
    "n" * 129,  # longer than a question id
    "Ａ",
    "＿＿＿＿",
    "　",
    "\u200b",
    "ı",
    "ß",
    "İ",
    "$CATEGORY: a/b",
    "//",
    "::x::",
    "####",
    "{T}",
    "{#1:2}",
    "->",
    "TRUE",
    "否",
    "对",
    "√",
    "×",
]


class Bug(AssertionError):
    """Reading an input failed in a way other than a located StudyhubError."""


@dataclass(frozen=True)
class Target:
    name: str
    #: the file name suffix that selects the format
    suffix: str
    #: a valid file
    seed: Callable[[], bytes]
    #: read a file as studyhub does (database: an opened studyhub Database, or None)
    run: Callable[[Path, Any], None]
    #: "text", "xlsx" or "docx": how structured mutations are applied
    kind: str = "text"
    #: whether ``run`` writes to a database (prepared by prepare_database)
    needs_database: bool = True


def located(err: StudyhubError) -> bool:
    if isinstance(err, LocatedError):
        return True
    if isinstance(err, MultipleErrors):
        return bool(err.errors) and all(isinstance(e, LocatedError) for e in err.errors)
    return False


def check(target: Target, data: bytes, directory: Path, database: Any = None) -> None:
    """Read ``data`` with ``target``; raise Bug unless it works or fails with a location."""
    path = directory / f"fuzz{target.suffix}"
    path.write_bytes(data)
    try:
        target.run(path, database)
    except StudyhubError as err:
        if not located(err):
            raise Bug(f"{target.name}: {type(err).__name__} without a location: {err}") from err
    except RecursionError as err:  # a Bug too, but keep the message short
        raise Bug(f"{target.name}: RecursionError") from err


# --- seeds ----------------------------------------------------------------------------------


def _records() -> list[Any]:
    from studyhub.banks.record import QuestionRecord

    return [
        QuestionRecord(
            type="single",
            stem="宪法是国家的什么法？",
            options=["根本法", "普通法"],
            correct=[0],
            external_id="q1",
            explanation="宪法第一条",
            source="宪法 第5条",
            difficulty=2,
            tags=["宪法"],
        ),
        QuestionRecord(
            type="multiple",
            stem="下列哪些是民事主体？",
            options=["自然人", "法人", "动物"],
            correct=[0, 1],
            external_id="q2",
        ),
        QuestionRecord(
            type="judge",
            stem="民事主体在民事活动中的法律地位一律平等。",
            truth=True,
            external_id="q3",
        ),
        QuestionRecord(
            type="fill", stem="普通诉讼时效期间为____年。", blanks=[["三", "3"]], external_id="q4"
        ),
    ]


def _exported(fmt: str) -> Callable[[], bytes]:
    def seed() -> bytes:
        from studyhub.banks import formats
        from studyhub.banks.record import BankHeader

        records = _records()
        if fmt == "aiken":
            records = records[:2]
        buffer = io.BytesIO()
        formats.exporter(fmt)(records, BankHeader(key="fz", topic="t"), buffer)
        return buffer.getvalue()

    return seed


WORD = """\
一、单选题
1. 宪法是国家的（ ）。
A. 根本法  B. 普通法
答案：A
解析：宪法第一条。
二、多选题
2. 下列哪些是民事主体？
A、自然人
B、法人
C、动物
答案：AB
三、判断题
3. 民事主体在民事活动中的法律地位一律平等。
答案：对
四、填空题
4. 普通诉讼时效期间为____年。
答案：三
"""

BANK_CSV = """\
题型,题干,选项A,选项B,选项C,答案,解析,难度,出处,标签
单选,宪法是国家的什么法？,根本法,普通法,,A,宪法第一条,2,宪法 第5条,宪法
多选,下列哪些是民事主体？,自然人,法人,动物,AB,,,,
判断,民事主体在民事活动中的法律地位一律平等。,,,,对,,,,
填空,普通诉讼时效期间为____年。,,,,三|3,,,,
"""

MOODLE = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/宪法</text></category></question>
  <question type="multichoice">
    <name><text>q1</text></name>
    <questiontext format="html"><text><![CDATA[<p>宪法是国家的什么法？</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>根本法</text></answer>
    <answer fraction="0"><text>普通法</text></answer>
  </question>
  <question type="truefalse">
    <name><text>q2</text></name>
    <questiontext><text>民事主体一律平等。</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>q3</text></name>
    <questiontext><text>普通诉讼时效期间为几年？</text></questiontext>
    <answer fraction="100"><text>三</text></answer>
  </question>
</quiz>
"""

SPEC = """\
key: fz1
title: 年度学法考试
year: 2026
kind: exam
opens: 2026-03-01 09:00
closes: 2026-03-31 18:00
time_limit: 90m
attempts: 3
grading: highest
pass_mark: 60
bands: {优秀: 90, 良好: 80, 合格: 60}
audience: [HQ]
scoring: partial
shuffle_questions: true
review: full
paper:
  rules:
    - {topic: law, type: single, count: 2, points: 10, difficulty: [1, 3], tags: [a]}
    - {topic: law, type: judge, count: 2, points: 5}
"""

DEPARTMENTS = "部门编码,部门名称,上级部门\nHQ,某某局,\nOFF,办公室,HQ\nLAW,法规科,HQ\n"
ROSTER = """\
工号,姓名,部门,角色,在岗起,在岗止
0001,张三,OFF,employee,2020-01-01,
0002,李四,LAW,admin,2021-03-15,2030-12-31
0003,王五,HQ,reporter,,
"""
RESULTS = """\
工号,姓名,成绩,提交时间,次数
0001,张三,95,2026-03-02 10:00:00,1
0002,李四,58.5,2026-03-02T10:30:00+08:00,
0003,王五,60,2026-03-03 09:00,2
"""
ACTIVITIES = """\
日期,形式,标题,专题,法律法规,学时,组织者,地点,工号,姓名,个人学时
2026-03-05,专题讲座,民法典专题讲座,civil-code,民法典;宪法,2,办公室,会议室,0001,张三,2
2026-03-05,专题讲座,民法典专题讲座,civil-code,民法典;宪法,2,办公室,会议室,0002,李四,
2026-04-01,自学,宪法学习,constitution,宪法,1.5,,,0003,王五,1.5
"""
ONLINE = """\
工号,姓名,课程,学时,完成时间
0001,张三,民法典解读,2,2026-01-15
0002,李四,宪法学习,1.5,2026-02-01 10:00
"""


STATUTE = """\
# 中华人民共和国示例法

2020年5月28日 第十三届全国人民代表大会第三次会议通过

## 序言

本法是一部示例。

## 第一编 总则

### 第一章 基本规定

第一条 为了示例，制定本法。

第二条 本法调整平等主体之间的关系，
包括人身关系和财产关系。

### 第二章 附则

第三条 本法自2021年1月1日起施行。
"""


def _text(value: str) -> Callable[[], bytes]:
    return lambda: value.encode("utf-8")


def _xlsx_of(csv_text: str) -> Callable[[], bytes]:
    def seed() -> bytes:
        import csv

        return xlsx_bytes([list(row) for row in csv.reader(io.StringIO(csv_text))])

    return seed


def _docx_seed() -> bytes:
    return docx_bytes(WORD.splitlines())


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- readers --------------------------------------------------------------------------------


def _bank(fmt: str) -> Callable[[Path, Any], None]:
    def run(path: Path, database: Any) -> None:
        """Import the file as ``bank import --format FMT`` does, into bank fz-FMT."""
        from studyhub.banks.importer import import_files

        import_files(database, [path], format=fmt)

    return run


def _spec(path: Path, database: Any) -> None:
    """Read the spec (errors must name a place), then create the exam it describes (errors
    about the database's state, such as a paper rule no bank can fill, name none) and
    delete it again, so that every example is created afresh."""
    from studyhub.exams.definitions import create_exam
    from studyhub.exams.spec import load_spec

    spec = load_spec(path)
    spec.paper_json()
    spec.total_points()
    try:
        create_exam(database, spec)
    except StudyhubError:
        return
    _delete_exam(database, spec.key)


def _delete_exam(database: Any, key: str) -> None:
    import sqlalchemy as sa

    from studyhub.models import Exam, ExamAudience

    with database.session() as session:
        exam_id = session.scalar(sa.select(Exam.id).where(Exam.key == key))
        session.execute(sa.delete(ExamAudience).where(ExamAudience.exam_id == exam_id))
        session.execute(sa.delete(Exam).where(Exam.id == exam_id))


def _tabular(path: Path, _database: Any) -> None:
    from studyhub.org.roster_import import STAFF_COLUMNS
    from studyhub.tabular import read_rows

    for row in read_rows(path, STAFF_COLUMNS):
        for column in STAFF_COLUMNS:
            row.text(column.name)
        str(row.at("name"))


def _law(path: Path, database: Any) -> None:
    from studyhub.laws import import_law

    import_law(database, path)


def _departments(path: Path, database: Any) -> None:
    from studyhub.org.roster_import import import_departments

    import_departments(database, path)


def _staff(path: Path, database: Any) -> None:
    from studyhub.org.roster_import import import_staff

    import_staff(database, path, on="2026-03-01")


def _results(path: Path, database: Any) -> None:
    from studyhub.exams.results import import_results

    import_results(database, "fz-ext", path)


def _activities(path: Path, database: Any) -> None:
    from studyhub.study.imports import import_activities

    import_activities(database, path)


def _online(path: Path, database: Any) -> None:
    from studyhub.study.imports import import_online

    import_online(database, path)


TARGETS: dict[str, Target] = {
    target.name: target
    for target in [
        Target("bank-yaml", ".yaml", _exported("yaml"), _bank("yaml")),
        Target("bank-json", ".json", _exported("json"), _bank("json")),
        Target("bank-gift", ".gift", _exported("gift"), _bank("gift")),
        Target("bank-aiken", ".txt", _exported("aiken"), _bank("aiken")),
        Target("bank-text", ".txt", _text(WORD), _bank("text")),
        Target("bank-docx", ".docx", _docx_seed, _bank("docx"), kind="docx"),
        Target("bank-csv", ".csv", _text(BANK_CSV), _bank("csv")),
        Target("bank-xlsx", ".xlsx", _exported("xlsx"), _bank("xlsx"), kind="xlsx"),
        Target("bank-moodle-xml", ".xml", _text(MOODLE), _bank("moodle-xml")),
        Target("exam-spec", ".yaml", _text(SPEC), _spec),
        Target("tabular-csv", ".csv", _text(ROSTER), _tabular, needs_database=False),
        Target("tabular-xlsx", ".xlsx", _xlsx_of(ROSTER), _tabular, "xlsx", needs_database=False),
        Target("roster-departments", ".csv", _text(DEPARTMENTS), _departments),
        Target("roster-staff", ".csv", _text(ROSTER), _staff),
        Target("roster-staff-xlsx", ".xlsx", _xlsx_of(ROSTER), _staff, kind="xlsx"),
        Target("exam-results", ".csv", _text(RESULTS), _results),
        Target("study-activities", ".csv", _text(ACTIVITIES), _activities),
        Target("study-online", ".csv", _text(ONLINE), _online),
        Target("law-text", ".md", _text(STATUTE), _law),
    ]
}


LAW_BANK = """\
bank: {key: fz-law, topic: law}
questions:
  - {id: s1, type: single, stem: 单选一, options: [甲, 乙], answer: A, difficulty: 2, tags: [a]}
  - {id: s2, type: single, stem: 单选二, options: [甲, 乙], answer: B, difficulty: 3, tags: [a]}
  - {id: j1, type: judge, stem: 判断一, answer: true}
  - {id: j2, type: judge, stem: 判断二, answer: false}
"""


def prepare_database(database: Any) -> None:
    """Departments HQ/OFF/LAW, staff 0001-0003, an external exam ``fz-ext`` and a bank of
    topic ``law``: what the roster, results, study and exam spec files refer to."""
    import tempfile

    from studyhub.banks.importer import import_files
    from studyhub.exams.definitions import create_exam
    from studyhub.exams.spec import load_spec
    from studyhub.org.roster_import import import_departments, import_staff

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "d.csv").write_text(DEPARTMENTS, encoding="utf-8")
        (directory / "r.csv").write_text(ROSTER, encoding="utf-8")
        (directory / "e.yaml").write_text(
            "key: fz-ext\ntitle: 法宣在线考试\nyear: 2026\nkind: external\n", encoding="utf-8"
        )
        (directory / "law.yaml").write_text(LAW_BANK, encoding="utf-8")
        import_files(database, [directory / "law.yaml"])
        import_departments(database, directory / "d.csv")
        import_staff(database, directory / "r.csv", on="2026-01-01")
        create_exam(database, load_spec(directory / "e.yaml"))


# --- mutations ------------------------------------------------------------------------------

CELLS = st.one_of(
    st.sampled_from(SPECIALS),
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.text(max_size=20),
)


def _clean_cell(value: Any) -> Any:
    """openpyxl refuses control characters in cells; a spreadsheet cannot hold them."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


@st.composite
def _line_mutations(draw: st.DrawFn, items: list[Any], fresh: st.SearchStrategy[Any]) -> list[Any]:
    """Delete, duplicate, swap, replace items or inject into them, 1-4 times."""
    items = list(items)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "inject", "cut"]))
        if not items:
            items.append(draw(fresh))
            continue
        i = draw(st.integers(0, len(items) - 1))
        if op == "delete":
            del items[i]
        elif op == "duplicate":
            items.insert(i, items[i])
        elif op == "swap":
            j = draw(st.integers(0, len(items) - 1))
            items[i], items[j] = items[j], items[i]
        elif op == "replace":
            items[i] = draw(fresh)
        elif op == "cut":
            items = items[:i]
        else:
            items[i] = _inject(draw, items[i])
    return items


def _inject(draw: st.DrawFn, item: Any) -> Any:
    special = draw(st.sampled_from(SPECIALS))
    if isinstance(item, list):  # a spreadsheet row: inject into (or set) one cell
        row = list(item) or [None]
        k = draw(st.integers(0, len(row) - 1))
        row[k] = (
            draw(st.one_of(st.just(special), CELLS))
            if draw(st.booleans())
            else (f"{row[k] if row[k] is not None else ''}{special}")
        )
        return row
    text = str(item)
    at = draw(st.integers(0, len(text)))
    return text[:at] + special + text[at:]


@st.composite
def _text_file(draw: st.DrawFn, seed: bytes) -> bytes:
    lines = seed.decode("utf-8").split("\n")
    fresh = st.one_of(st.sampled_from(SPECIALS), st.text(max_size=40))
    text = "\n".join(draw(_line_mutations(lines, fresh)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 4)) == 0:  # truncate, possibly mid-character
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def _xlsx_file(draw: st.DrawFn, seed: bytes) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(seed))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    fresh = st.lists(CELLS, max_size=8)
    mutated = draw(_line_mutations(rows, fresh))
    return xlsx_bytes([[_clean_cell(c) for c in row] for row in mutated])


@st.composite
def _docx_file(draw: st.DrawFn, seed: bytes) -> bytes:
    fresh = st.one_of(st.sampled_from(SPECIALS), st.text(max_size=40))
    paragraphs = draw(_line_mutations(WORD.splitlines(), fresh))
    return docx_bytes([_clean_cell(p) for p in paragraphs])


@st.composite
def _broken_zip(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        else:
            data = data[: draw(st.integers(0, len(data)))]
            if not data:
                break
    return bytes(data)


@st.composite
def _zip_bomb(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed with a part of zeros that unpacks past the input limit (bench/fuzz.py sets
    it to 1 MB), its sizes honest or rewritten to claim less than they hold."""
    import struct
    import zipfile

    buffer = io.BytesIO(seed)
    name = "xl/media/bomb.bin"
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b"\0" * draw(st.integers(1, 3)) * 2**20)
    data = bytearray(buffer.getvalue())
    if draw(st.booleans()):  # lie: claim the part unpacks to a few bytes
        claimed = draw(st.integers(0, 4096))
        central = data.rfind(b"PK\x01\x02")
        while central != -1:
            length = struct.unpack_from("<H", data, central + 28)[0]
            if data[central + 46 : central + 46 + length] == name.encode():
                struct.pack_into("<I", data, central + 24, claimed)
                local = struct.unpack_from("<I", data, central + 42)[0]
                struct.pack_into("<I", data, local + 22, claimed)
                break
            central = data.rfind(b"PK\x01\x02", 0, central)
    return bytes(data)


@st.composite
def _declared_xml(draw: st.DrawFn, seed: bytes) -> bytes:
    """The Moodle seed declaring a Chinese encoding, in that encoding or (wrongly) another."""
    declared = draw(st.sampled_from(["GBK", "GB2312", "GB18030", "gbk", "UTF-8", "Big5"]))
    text = seed.decode("utf-8").replace('encoding="UTF-8"', f'encoding="{declared}"', 1)
    actual = draw(st.sampled_from(["gbk", "gb18030", "utf-8", "utf-16"]))
    return text.encode(actual, errors="replace")


def inputs(target: Target) -> st.SearchStrategy[bytes]:
    """Arbitrary bytes and structured mutations of the target's seed (and the seed itself)."""
    seed = target.seed()
    arbitrary = st.one_of(
        st.binary(max_size=600),
        st.text(max_size=300).map(lambda s: s.encode("utf-8", errors="surrogatepass")),
    )
    if target.kind == "xlsx":
        structured = st.one_of(_xlsx_file(seed), _broken_zip(seed), _zip_bomb(seed))
    elif target.kind == "docx":
        structured = st.one_of(_docx_file(seed), _broken_zip(seed), _zip_bomb(seed))
    elif target.suffix == ".xml":
        structured = st.one_of(_text_file(seed), _declared_xml(seed))
    else:
        structured = _text_file(seed)
    return st.one_of(st.just(seed), arbitrary, structured, structured, structured)
