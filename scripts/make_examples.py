"""Regenerate the example reports in docs/examples/ from the 60-person bureau.

Run from a clone, in an environment with studyhub and its test extra installed (the chart
needs matplotlib and a CJK font, e.g. ``apt-get install fonts-noto-cjk``)::

    python scripts/make_examples.py

The bureau of tests/scenario_bureau.py (6 departments, a year of study and outreach, the
2026 法宣在线 exam with its results) is built through the CLI in a temporary SQLite database
with a temporary app dir (your own config and database are never read), then the reports are
written to docs/examples/ through the CLI, as a user would, with the record (学法档案) of one
person and their certificate (合格证书: Word, and PDF when LibreOffice is installed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
YEAR = "2026"
#: the person whose record and certificate are the examples
RECORD_OF = "0011"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="studyhub-examples-") as scratch:
        where = Path(scratch)
        os.environ["STUDYHUB_HOME"] = str(where / "home")
        os.environ["XDG_CONFIG_HOME"] = str(where / "xdg")
        for name in ("STUDYHUB_DB", "STUDYHUB_LANG", "STUDYHUB_DEBUG"):
            os.environ.pop(name, None)

        from click.testing import CliRunner

        from studyhub.cli import cli
        from tests.scenario_bureau import add_annual_exam, build_bureau

        db_url = f"sqlite:///{where / 'bureau.db'}"
        people = build_bureau(db_url, where)
        add_annual_exam(db_url, where, people)

        def report(*args: str) -> None:
            result = CliRunner().invoke(cli, ["--db", db_url, "report", *args])
            if result.exit_code != 0:
                sys.exit(f"studyhub report {' '.join(args)} failed:\n{result.output}")

        EXAMPLES.mkdir(parents=True, exist_ok=True)
        chart = str(EXAMPLES / "rates-by-department.png")
        by_department = ("rates", "--year", YEAR, "--by", "department", "--chart", chart)
        for fmt, suffix in (("xlsx", "xlsx"), ("docx", "docx"), ("table", "txt"), ("csv", "csv")):
            target = EXAMPLES / f"rates-by-department.{suffix}"
            report(*by_department, "--format", fmt, "-o", str(target))
        annual = EXAMPLES / f"annual-{YEAR}.docx"
        report("annual", "--year", YEAR, "--format", "docx", "-o", str(annual))
        report("annual", "--year", YEAR, "--next-steps", "--format", "md", "-o",
               str(EXAMPLES / f"annual-{YEAR}.md"))  # fmt: skip

        def run(*args: str) -> None:
            result = CliRunner().invoke(cli, ["--db", db_url, *args])
            if result.exit_code != 0:
                sys.exit(f"studyhub {' '.join(args)} failed:\n{result.output}")

        # one person's year (0011 moved from 办公室 to 法规科 in July) and their certificate
        record = ("record", RECORD_OF, "--year", YEAR, "--required-hours", "10")
        for fmt, suffix in (("docx", "docx"), ("md", "md")):
            run(
                *record,
                "--format",
                fmt,
                "-o",
                str(EXAMPLES / f"record-{RECORD_OF}-{YEAR}.{suffix}"),
            )
        certificates = where / "certificates"
        run("exam", "certificates", "fxzx-2026", "--staff", RECORD_OF, "-o", str(certificates))
        for made in sorted(certificates.iterdir()):
            target = EXAMPLES / f"certificate-fxzx-2026-{RECORD_OF}{made.suffix}"
            target.write_bytes(made.read_bytes())
    for path in sorted(EXAMPLES.iterdir()):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
