"""The message catalogs: complete in both languages, and every key the code uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from studyhub import i18n
from studyhub.i18n import catalog, t

ROOT = Path(__file__).resolve().parents[1] / "studyhub"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogs_have_the_same_messages_and_placeholders() -> None:
    zh, en = catalog("zh"), catalog("en")
    assert zh.keys() == en.keys()
    assert len(zh) > 300
    for key in zh:
        assert zh[key] and en[key], key
        assert fields(zh[key]) == fields(en[key]), key


def test_every_literal_key_in_the_code_exists() -> None:
    used = set()
    for path in ROOT.rglob("*.py"):
        used.update(re.findall(r'\bt\(\s*"([a-z_]+(?:\.[A-Za-z0-9_]+)+)"', path.read_text("utf-8")))
    assert used, "no t() calls found"
    assert sorted(used - catalog("en").keys()) == []


def test_language_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert t("config.app_dir") == "应用目录"
    i18n.set_language("en")
    assert t("config.app_dir") == "App dir"
    i18n.set_language(None)
    monkeypatch.setenv("STUDYHUB_LANG", "en_US.UTF-8")
    assert t("bank.exported", count=3, path="x") == "3 questions written to x"
    with pytest.raises(ValueError):
        i18n.set_language("fr")
