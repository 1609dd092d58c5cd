"""What a quiz's start-up leaves out: table modules it does not touch, and the cyclic
garbage collector's scans of start-up objects (studyhub.gcpause)."""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studyhub import gcpause


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)  # fmt: skip
    return out.stdout


def test_a_table_class_imports_only_its_own_module() -> None:
    code = (
        "import sys\n"
        "import studyhub.models as m\n"
        "def loaded():\n"
        "    return sorted(k.rsplit('.', 1)[1] for k in sys.modules\n"
        "                  if k.startswith('studyhub.models.') and k != 'studyhub.models.enums')\n"
        "print('NONE', loaded())\n"
        "from studyhub.models import Attempt, Staff\n"
        "print('SOME', loaded(), Attempt.__tablename__, Staff.__tablename__)\n"
        "from studyhub.models import Base\n"
        "print('ALL', len(loaded()), len(Base.metadata.tables))\n"
    )
    out = _run(code)
    assert "NONE []" in out
    # with the modules of the tables their foreign keys name
    assert "SOME ['base', 'content', 'exams', 'org'] attempts staff" in out
    assert "ALL 10 34" in out  # every table module, and so the whole schema, for Base


def test_every_public_name_resolves_and_a_wrong_one_is_an_attribute_error() -> None:
    import studyhub.models as models

    for name in models.__all__:
        assert getattr(models, name) is not None, name
    assert models.Attempt.__module__ == "studyhub.models.exams"
    with pytest.raises(AttributeError, match="Nothing"):
        models.Nothing  # noqa: B018


def test_the_schema_seen_through_base_matches_the_table_modules() -> None:
    from studyhub.models import Base, load_all

    load_all()
    tables = {cls.__tablename__ for cls in Base.registry._class_registry.values()
              if hasattr(cls, "__tablename__")}  # fmt: skip
    assert tables == set(Base.metadata.tables)


@pytest.fixture
def collector_restored():
    yield
    gc.unfreeze()
    gc.enable()


def test_hold_turns_the_collector_off_and_its_timer_back_on(collector_restored: None) -> None:
    timer = gcpause.hold(0.05)
    assert timer is not None and not gc.isenabled()
    assert gcpause.hold(0.05) is None  # already held: no second timer
    timer.join(5)
    deadline = time.monotonic() + 5
    while not gc.isenabled() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # start-up objects moved out of the collector's scans


def test_release_is_at_once_and_only_once(collector_restored: None) -> None:
    timer = gcpause.hold(60)
    assert timer is not None
    gcpause.release()
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    gcpause.release()  # the timer firing later changes nothing
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    timer.cancel()


def test_the_command_line_holds_the_collector_only_at_start() -> None:
    code = (
        "import gc, time, sys\n"
        "import studyhub.gcpause as g\n"
        "g.HOLD_SECONDS = 0.2\n"
        "from studyhub.cli import main\n"
        "try:\n"
        "    main(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('DURING', gc.isenabled())\n"
        "time.sleep(1.5)\n"
        "print('AFTER', gc.isenabled())\n"
    )
    out = _run(code)
    assert "DURING False" in out and "AFTER True" in out


@pytest.mark.parametrize(
    "module",
    ["audit", "auth", "certificates", "content", "exams", "kept", "org", "practice", "study"],
)
def test_a_table_module_alone_brings_the_tables_its_foreign_keys_name(module: str) -> None:
    """A flush resolves every foreign key of the table it writes: a process that has asked
    only for, say, AuditEvent must still find the staff table its actor_id names."""
    code = (
        f"import studyhub.models.{module} as m\n"
        "from studyhub.models.base import Base\n"
        f"tables = [t for t in Base.metadata.tables.values() if t.name in {{\n"
        "    c.__tablename__ for c in vars(m).values() if hasattr(c, '__tablename__')}]\n"
        "assert tables\n"
        "for table in tables:\n"
        "    for fk in table.foreign_keys:\n"
        "        fk.column  # raises NoReferencedTableError when the table is not mapped\n"
        "print('RESOLVED', len(tables))\n"
    )
    assert "RESOLVED" in _run(code)


def test_an_audit_event_written_by_a_fresh_process(tmp_path: Path) -> None:
    """The case that needed it: the audit table alone, written in a process that has not
    asked for any other table."""
    url = f"sqlite:///{tmp_path / 'a.db'}"
    from studyhub.db import open_database

    open_database(url).dispose()  # migrated
    code = (
        "import datetime as dt\n"
        "from studyhub.db import open_database\n"
        "from studyhub.models import AuditEvent\n"
        f"database = open_database({url!r})\n"
        "with database.session() as session:\n"
        "    session.add(AuditEvent(at=dt.datetime.now(dt.UTC), actor='x', action='t.t',\n"
        "                           object_type='x', object_key='k', details={}))\n"
        "print('WRITTEN')\n"
    )
    assert "WRITTEN" in _run(code)


def test_a_flush_without_an_exemption_leaves_the_kept_tables_unloaded(tmp_path: Path) -> None:
    """Every flush looks for exemptions to mark in the kept scopes; a quiz's flushes have
    none and need not load the kept tables' module (6 ms of a new attempt's start)."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    from studyhub.db import open_database

    open_database(url).dispose()  # migrated
    code = (
        "import sys\n"
        "from studyhub.db import open_database\n"
        "from studyhub.models import Department\n"
        f"database = open_database({url!r})\n"
        "with database.session() as session:\n"
        "    session.add(Department(code='D1', name='办公室'))\n"
        "    session.flush()\n"
        "print('KEPT', 'studyhub.models.kept' in sys.modules)\n"
    )
    assert "KEPT False" in _run(code)
