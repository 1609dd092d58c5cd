"""The message catalogs: every message the code uses is translated into Chinese and
English, no catalog keeps a message the code no longer uses, placeholders agree, and the
compiled .mo files are those of the .po files."""

from __future__ import annotations

import configparser
import gettext
import io
import string
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from studyhub import i18n
from studyhub.errors import InputError, LocatedError, Location, MultipleErrors
from studyhub.i18n import msg, msgn, t, tn

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "studyhub" / "locale"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@cache
def extracted() -> dict[str, tuple[str, ...]]:
    """msgid -> all ids of the message (singular, plural), extracted from the code with the
    configuration in setup.cfg and babel.cfg (what `pybabel extract` produces)."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    section = config["extract_messages"]
    keywords: dict[str, tuple[int, ...] | None] = {}
    for spec in section["keywords"].split():
        name, _, args = spec.partition(":")
        keywords[name] = tuple(int(a) for a in args.split(",")) if args else None
    with open(ROOT / section["mapping_file"]) as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, tuple[str, ...]] = {}
    for _, _, message, _, _ in extract_from_dir(
        ROOT / section["input_paths"], method_map, options_map, keywords=keywords
    ):
        ids = message if isinstance(message, tuple) else (message,)
        found[ids[0]] = ids
    return found


@cache
def po(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "studyhub.po").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_message_in_the_code_is_translated(language: str) -> None:
    catalog = po(language)
    missing = []
    for msgid in extracted():
        message = catalog.get(msgid)
        strings = message.string if message else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or not all(strings) or message.fuzzy:
            missing.append(msgid)
    assert missing == [], f"{len(missing)} messages lack a {language} translation"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_catalog_keeps_a_message_the_code_does_not_use(language: str) -> None:
    used = extracted()
    unused = [m.id for m in po(language) if m.id and first(m.id) not in used]
    assert unused == []


def first(value: str | tuple[str, ...]) -> str:
    return value if isinstance(value, str) else value[0]


def strings(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """msgid -> its translations (one, or one per plural form)."""
    return {
        first(m.id): (m.string,) if isinstance(m.string, str) else tuple(m.string)
        for m in catalog
        if m.id
    }


def test_placeholders_agree() -> None:
    """Chinese and English fill in the same values ({n}, the count, may be left out of a
    plural form); an English-text message id has the values of its English text."""
    zh, en = po("zh"), po("en")
    for message in en:
        if not message.id:
            continue
        english = fields(first(message.string)) - {"n"}
        assert fields(first(zh[message.id].string)) - {"n"} == english, message.id
        if " " in first(message.id):
            assert fields(first(message.id)) - {"n"} == english, message.id


@pytest.mark.parametrize("language", ["zh", "en"])
def test_compiled_catalogs_are_up_to_date(language: str) -> None:
    """The .mo shipped in the package is what `pybabel compile` makes of the .po."""
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "studyhub.mo").open("rb") as handle:
        shipped = read_mo(handle)
    fresh = io.BytesIO()
    write_mo(fresh, po(language))
    fresh.seek(0)
    rebuilt = read_mo(fresh)
    assert strings(shipped) == strings(rebuilt)


def test_catalogs_declare_their_plural_forms() -> None:
    assert po("zh").plural_forms == "nplurals=1; plural=0;"
    assert po("en").plural_forms == "nplurals=2; plural=(n != 1);"
    assert gettext.translation("studyhub", LOCALE, languages=["en"]).ngettext("a", "b", 2) == "b"


def test_language_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert t("config.app_dir") == "应用目录"
    i18n.set_language("en")
    assert t("config.app_dir") == "App dir"
    i18n.set_language(None)
    monkeypatch.setenv("STUDYHUB_LANG", "en_US.UTF-8")
    assert t("bank.exported", count=3, path="x") == "3 questions written to x"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_plural_forms_follow_the_count() -> None:
    i18n.set_language("en")
    one = tn("{n} error in {what}, nothing was written:",
             "{n} errors in {what}, nothing was written:", 1, what="x")  # fmt: skip
    assert one == "1 error in x, nothing was written:"
    many = msgn("... and {n} more", "... and {n} more", 7)
    assert str(many) == "... and 7 more"
    i18n.set_language("zh")
    assert many.render() == "……另有 7 处"


def test_errors_are_english_for_callers_and_the_users_language_on_screen() -> None:
    i18n.set_language("zh")
    err = LocatedError(Location("题库.xlsx", 12, "Sheet1", "答案"), msg("input"))
    assert err.reason == "题库.xlsx, sheet Sheet1, line 12, field 答案: input"
    assert err.shown() == "题库.xlsx，工作表 Sheet1，第 12 行，字段 答案：输入"
    assert err.shown("en") == err.reason
    many = MultipleErrors([err, err])
    assert many.reason.startswith("2 errors in input, nothing was written:\n")
    assert many.shown().startswith("输入中有 2 处错误，未写入任何内容：\n题库.xlsx，工作表")
    plain = InputError(msg("input"), hint=msg("input"))
    assert (plain.shown(), plain.shown_hint(), plain.hint) == ("输入", "输入", "input")


def test_every_message_of_click_is_translated() -> None:
    """click's own words (Usage, Options, Missing argument, Aborted!) come from the click
    catalog: it holds exactly the messages of the installed click, all in Chinese."""
    import click

    found = {
        first(message)
        for _, _, message, _, _ in extract_from_dir(
            Path(click.__file__).parent, keywords={"_": None, "ngettext": (1, 2)}
        )
    }
    with (LOCALE / "zh" / "LC_MESSAGES" / "click.po").open("rb") as handle:
        catalog = read_po(handle)
    ours = {first(m.id): m for m in catalog if m.id}
    found.add("required")  # click passes it through _() as a variable: _(extra["required"])
    assert sorted(found - ours.keys()) == []
    assert sorted(ours.keys() - found) == []
    assert all(first(m.string) for m in ours.values())
    with (LOCALE / "zh" / "LC_MESSAGES" / "click.mo").open("rb") as handle:
        shipped = read_mo(handle)
    assert strings(shipped) == strings(catalog)
