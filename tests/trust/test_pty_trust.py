"""In a real pseudo-terminal: init asks for the first admin's department (and a PIN twice),
and practice during an exam attempt is refused with the reason, in Chinese."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from studyhub.db import Database
from studyhub.models import Department

pexpect = pytest.importorskip("pexpect")
TIMEOUT = 20


def spawn(db_url: str, *args: str) -> object:
    env = dict(os.environ, TERM="xterm", PYTHONUNBUFFERED="1")
    env.pop("STUDYHUB_LANG", None)
    return pexpect.spawn(
        sys.executable, ["-m", "studyhub", "--db", db_url, *args],
        env=env, encoding="utf-8", dimensions=(30, 100), timeout=TIMEOUT,
    )  # fmt: skip


def finish(child: object) -> int:
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    child.close()  # type: ignore[attr-defined]
    status = child.exitstatus  # type: ignore[attr-defined]
    return int(status if status is not None else -1)


def test_init_asks_for_the_department_on_a_terminal(database: Database, db_url: str) -> None:
    with database.session() as session:
        session.add_all(
            [Department(code="D01", name="办公室"), Department(code="D02", name="法规科")]
        )
    child = spawn(db_url, "init", "--admin", "0001")
    try:
        child.expect_exact("管理员所在部门（部门编码）")  # type: ignore[attr-defined]
        child.sendline("D09")  # type: ignore[attr-defined]
        child.expect_exact("D01, D02")  # click lists the choices again  # type: ignore[attr-defined]
        child.sendline("D02")  # type: ignore[attr-defined]
        child.expect_exact("新 PIN 码")  # type: ignore[attr-defined]
        child.sendline("246810")  # type: ignore[attr-defined]
        child.sendline("246810")  # type: ignore[attr-defined]
        assert finish(child) == 0
    finally:
        if child.isalive():  # type: ignore[attr-defined]
            child.kill(signal.SIGKILL)  # type: ignore[attr-defined]
    import sqlalchemy as sa

    from studyhub.models import Staff

    with database.session() as session:
        person = session.scalar(sa.select(Staff).where(Staff.staff_no == "0001"))
        assert person is not None and person.department_id is not None


def test_passwd_asks_for_the_pin_once_on_a_terminal(database: Database, db_url: str) -> None:
    """Not signed in: passwd signs in (工号, PIN 码) and then asks only for the new PIN; the
    PIN just typed is the old one, not asked a second time."""
    from studyhub.admin.auth import authenticate, init_admin

    init_admin(database, "0001", "246810")
    child = spawn(db_url, "passwd")
    try:
        child.expect_exact("工号")  # type: ignore[attr-defined]
        child.sendline("0001")  # type: ignore[attr-defined]
        child.expect_exact("PIN 码")  # type: ignore[attr-defined]
        child.sendline("246810")  # type: ignore[attr-defined]
        child.expect_exact("新 PIN 码")  # type: ignore[attr-defined]
        assert "原 PIN 码" not in child.before  # type: ignore[attr-defined]
        child.sendline("975312")  # type: ignore[attr-defined]
        child.expect_exact("再输入一次确认")  # type: ignore[attr-defined]
        child.sendline("975312")  # type: ignore[attr-defined]
        child.expect_exact("PIN 码已修改")  # type: ignore[attr-defined]
        assert finish(child) == 0
    finally:
        if child.isalive():  # type: ignore[attr-defined]
            child.kill(signal.SIGKILL)  # type: ignore[attr-defined]
    assert authenticate(database, "0001", "975312").staff_no == "0001"
