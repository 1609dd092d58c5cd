"""A guard against English leaking into the Chinese UI (and Chinese into the English one).

In Chinese (no --lang, no STUDYHUB_LANG): every command's --help, a failing call of every
command, README's year (init to the annual report) and every report, and a quiz and a
practice in a real pseudo-terminal. A line fails when it holds an English word outside the
allow-list: command and option names, metavars and format names in capitals, file names,
identifiers (exam and topic keys, staff numbers), URLs, and the few words below.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from studyhub.cli import COMMANDS, cli
from tests.test_readme_year import PIN, SCRIPTED, write_files, year_commands

#: words allowed in the Chinese UI (lower case): the program, the languages, file formats
#: and key names (Cronbach: the α that issue #24 puts beside 内部一致性系数)
ALLOWED = {
    "studyhub", "zh", "en", "csv", "json", "yaml", "yml", "xlsx", "docx", "excel", "word",
    "gift", "aiken", "moodle", "xml", "markdown", "sqlite", "postgresql", "pin", "url",
    "ctrl", "pgup", "pgdn", "enter", "tab", "esc", "utf", "bom", "wal", "txt", "md", "pdf",
    "png", "svg", "python", "pip", "scrypt", "fsrs", "asia", "shanghai", "cronbach",
    "libreoffice", "soffice",
}  # fmt: skip
ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[=>()][0-9A-Za-z]?)")
COMMAND_LINE = re.compile(r"studyhub(?: [a-z][a-z-]*)*")
CHOICES = re.compile(r"[\[{(][A-Za-z0-9_|-]+\|[A-Za-z0-9_|-]+[\]})]")
ASCII_TOKEN = re.compile(r"[A-Za-z0-9_./:\\'%@+*=<>-]+")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def choice_values() -> set[str]:
    """The values options take (``--format table``): typed by the user, like option names."""
    values = set()
    for _, command in leaf_commands():
        for param in command.params:
            if isinstance(param.type, click.Choice):
                values.update(str(c).lower() for c in param.type.choices)
    return values


def command_names() -> set[str]:
    return {name for path, _ in leaf_commands() for name in path}


def english_words(line: str, allowed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """The English words of a line that are not allowed in the Chinese UI."""
    line = CHOICES.sub(" ", COMMAND_LINE.sub(" ", ANSI.sub("", line)))
    line = re.sub(r"``[^`]+``", " ", line)  # a literal value to type
    line = re.sub(r"\{\".*", " ", line)  # a JSON record (the audit trail's details): machine keys
    words = []
    for token in ASCII_TOKEN.findall(line):
        if token.startswith("-") or token.isupper() or re.search(r"[\d_/\\.:@=<>-]", token):
            continue  # options, metavars and formats, identifiers, files, paths, URLs
        for word in re.findall(r"[A-Za-z]{2,}", token):
            known = word.lower() in ALLOWED | OPTION_VALUES | allowed
            if not known and not word.isupper():
                words.append(word)
    return words


OPTION_VALUES: set[str] = set()


def leaks(output: str, where: str, allowed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    found = []
    for line in output.splitlines():
        # the first column of a help listing is a command name
        line = re.sub(r"^\s{2}[a-z][a-z-]*(?=\s{2,}|$)", " ", line)
        words = english_words(line, allowed)
        if words:
            found.append(f"{where}: {words} in {line.strip()[:120]!r}")
    return found


@pytest.fixture(autouse=True, scope="module")
def option_values() -> None:
    OPTION_VALUES.update(choice_values())


def test_the_detector() -> None:
    assert english_words("错误：unknown role 报告员") == ["unknown", "role"]
    assert english_words("用法： studyhub bank import [选项] FILES...") == []
    assert english_words("  --format [table|csv|json]  输出格式，默认 table") == []
    assert english_words("错误：unknown table") == ["unknown"]
    assert english_words("已写入 报告.docx；考试 fx-2026，工号 S0001，Excel 文件") == []
    assert english_words("\x1b[0;7m» 是\x1b[0m  Yes") == ["Yes"]


def leaf_commands() -> Iterator[tuple[list[str], click.Command]]:
    def walk(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
        if isinstance(command, click.Group):
            yield path, command
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, command

    for name, target, _ in COMMANDS:
        module, attribute = target.split(":")
        yield from walk(getattr(importlib.import_module(module), attribute), [name])


def bogus_arguments(command: click.Command) -> list[str]:
    """Values for every required argument and option that name nothing that exists."""
    args: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        value = "无此文件.csv" if isinstance(param.type, click.Path | click.File) else "无此项"
        if isinstance(param, click.Option):
            args += [param.opts[-1], value]
        else:
            args.append(value)
    return args


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDYHUB_LANG", raising=False)


def test_every_help_is_chinese(chinese: None) -> None:
    runner = CliRunner()
    problems: list[str] = []
    paths = [[], *(path for path, _ in leaf_commands())]
    names = command_names()  # help may name a command without "studyhub" before it
    for path in paths:
        result = runner.invoke(cli, [*path, "--help"], prog_name="studyhub")
        assert result.exit_code == 0, (path, result.output)
        problems += leaks(result.output, " ".join(path) or "studyhub", names)
    assert len(paths) > 60
    assert problems == [], "\n".join(problems)


def data_keys(db_url: str) -> set[str]:
    """The keys the bureau's data brings (bank and topic keys, staff numbers): shown as
    they are, like names."""
    import sqlalchemy as sa

    from studyhub.db import open_database
    from studyhub.models import Bank, Staff, Topic

    database = open_database(db_url)
    try:
        with database.session() as session:
            keys = [*session.scalars(sa.select(Bank.key)), *session.scalars(sa.select(Topic.key))]
            keys += session.scalars(sa.select(Staff.staff_no))
    finally:
        database.dispose()
    return {word.lower() for key in keys for word in re.findall(r"[A-Za-z]{2,}", key)}


def test_the_year_every_report_and_every_failing_call_are_chinese(
    chinese: None, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path)
    runner = CliRunner()
    problems: list[str] = []

    outputs: dict[str, str] = {}

    data: set[str] = set()  # keys chosen by the bureau (banks, topics, staff numbers)

    def run(words: list[str], given: str = "") -> int:
        result = runner.invoke(cli, ["--db", db_url, *words], input=given, prog_name="studyhub")
        outputs[" ".join(words)] = result.output
        seen.append((" ".join(words), result.output))
        return result.exit_code

    seen: list[tuple[str, str]] = []

    # not signed in, on an empty database
    assert run(["exam", "create", "x.yaml"]) == 1  # refused: nobody is signed in
    assert run(["practice", "--plain", "--yes", "--count", "1", "--type", "single"], "A\n") == 0
    data.update(data_keys(db_url))
    problems.clear()  # (the demo person's staff number was not known before: check again)
    assert run(["practice", "--plain", "--count", "1", "--staff", "demo"], "A\n") == 0
    for words in year_commands():
        args = [m for word in words for m in (sorted(Path().glob(word)) or [word])]
        key = next((w for w in SCRIPTED if w in words), None)
        extra, given = SCRIPTED[key] if key else ([], "")
        assert run([str(a) for a in args] + extra, given) == 0, words
    data.update(data_keys(db_url))
    year, fx, fxzx = ["--year", "2026"], ["fx-2026"], ["fxzx-2026"]
    reports = [
        ["report", "study", *year], ["report", "items", *fx], ["report", "rates", *year],
        ["report", "absentees", *fx], ["report", "failed", *fxzx], ["report", "exempt", *fx],
        ["report", "scores", *fxzx], ["report", "progress", *fx], ["report", "ranking", *year],
        ["report", "annual", *year], ["report", "rates", "--exam", *fx, "--format", "md"],
    ]  # fmt: skip
    for words in reports:
        assert run(words) == 0, outputs[" ".join(words)]
    # every command once more, with values that name nothing, signed in as the admin
    risky = {("logout",), ("passwd",)}
    for path, command in leaf_commands():
        if isinstance(command, click.Group) or tuple(path) in risky:
            continue
        run([*path, *bogus_arguments(command)])
        run(path)
    for path in risky:
        run(list(path))
    run(["login", "--staff", "9999", "--pin-stdin"], f"{PIN}\n")
    for where, output in seen:
        problems.extend(leaks(output, where, data))
    assert problems == [], f"{len(problems)} lines with English:\n" + "\n".join(problems[:60])


def english_terms() -> str:
    """The Chinese terms the English texts use on purpose (学法考法, 参考率, 免考, column
    headers of the import files): all the English catalog's texts, to look runs up in."""
    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[1] / "studyhub/locale/en/LC_MESSAGES/studyhub.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    texts = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts += [text for text in strings if text]
    return "\n".join(texts)


def chinese_leaks(output: str, where: str, allowed: str) -> list[str]:
    """Lines with Chinese that no English text has on purpose (a run cut by wrapping is a
    part of such a text)."""
    return [
        f"{where}: {line.strip()[:120]!r}"
        for line in output.splitlines()
        if any(run not in allowed for run in CJK.findall(ANSI.sub("", line)))
    ]


def test_the_english_ui_has_no_chinese(db_url: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """--lang en: help, and a failing call of every command (values that name nothing),
    signed in as an admin, show no Chinese but the terms the English texts use on purpose."""
    monkeypatch.chdir(tmp_path)
    allowed = english_terms()
    runner = CliRunner()
    problems: list[str] = []

    def run(words: list[str], given: str = "") -> int:
        result = runner.invoke(cli, ["--lang", "en", "--db", db_url, *words], input=given,
                               prog_name="studyhub")  # fmt: skip
        problems.extend(chinese_leaks(result.output, " ".join(words), allowed))
        return result.exit_code

    for path, _ in [([], None), *leaf_commands()]:
        assert run([*path, "--help"]) == 0
    assert run(["init", "--admin", "0001", "--name", "Admin", "--pin-stdin"], f"{PIN}\n") == 0
    assert run(["login", "--staff", "0001", "--pin-stdin"], f"{PIN}\n") == 0
    for path, command in leaf_commands():
        if isinstance(command, click.Group) or path[0] in ("logout", "passwd", "quiz", "practice"):
            continue  # (quiz and practice show questions: data, in Chinese)
        args = [
            "X9.csv" if value == "无此文件.csv" else "X9" if value == "无此项" else value
            for value in bogus_arguments(command)
        ]
        run([*path, *args])
        run(path)
    assert problems == [], f"{len(problems)} lines with Chinese:\n" + "\n".join(problems[:60])


def test_click_words_follow_the_language_of_each_run(chinese: None) -> None:
    """click fixes some words when a command is defined (a path parameter's "file"): a
    Chinese run first must not leave them Chinese for an English run after it."""
    runner = CliRunner()
    zh = runner.invoke(cli, ["report", "rates", "--output", "/nonexistent/x/y.csv"])
    assert "错误" in zh.output
    en = runner.invoke(cli, ["--lang", "en", "report", "rates", "--help"], prog_name="studyhub")
    assert en.exit_code == 0 and "--output FILE" in en.output and "文件" not in en.output
    assert chinese_leaks(en.output, "report rates --help", english_terms()) == []
    zh_help = runner.invoke(cli, ["report", "rates", "--help"], prog_name="studyhub")
    assert "用法：" in zh_help.output and "Usage" not in zh_help.output
