"""What every command shares: the settings, a lazily opened database, and who is acting."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from studyhub.config import SESSION_FILE_NAME

if TYPE_CHECKING:
    from studyhub.admin.auth import SignedIn
    from studyhub.config import Settings
    from studyhub.db import Database


@dataclass
class AppContext:
    db_url: str | None = None
    _database: Database | None = field(default=None, repr=False)
    _upgraded: bool = field(default=False, repr=False)
    #: who is signed in for this command (None: nobody, or a database in setup mode)
    signed_in: SignedIn | None = None
    #: set by the guard: the command needs nobody signed in
    public: bool = False
    #: the PIN typed at the sign-in prompt of this command, kept only in memory while it
    #: runs, so that ``passwd`` does not ask for the same PIN twice
    typed_pin: str | None = field(default=None, repr=False)
    #: how this command signed its person in: "saved" (the saved session), "prompt" (at a
    #: terminal) or "stdin" (``--pin-stdin``); None before, and in setup mode
    signed_in_by: str | None = None
    #: a valid sign-in of someone else, left as it is when this command signed in another
    #: person at its prompt (``quiz --staff NO`` on a shared terminal)
    other_signed_in: SignedIn | None = field(default=None, repr=False)
    #: this command finished a first sign-in: the person chose their own PIN
    pin_chosen: bool = False

    def settings(self) -> Settings:
        from studyhub.config import load_settings

        return load_settings(self.db_url)

    def database(self, *, upgrade: bool = True) -> Database:
        """The configured database, opened once per command (and upgraded unless told not)."""
        if self._database is None:
            from studyhub.db import open_database

            self._database = open_database(self.settings(), upgrade=False)
        if upgrade and not self._upgraded:
            from studyhub import migrate

            migrate.ensure_current(self._database)
            self._upgraded = True
        return self._database

    def actor(self) -> str:
        """Who is acting, for the audit trail: the signed-in staff number, else the
        operating-system user (a database in setup mode, before any admin exists)."""
        if self.signed_in is not None:
            return self.signed_in.staff_no
        import getpass

        try:
            return f"os:{getpass.getuser()}"
        except (KeyError, OSError):
            return "os:unknown"

    def protect_database_files(self) -> None:
        """Register the configured SQLite file (not yet opened) as no output's target."""
        from studyhub.db import sqlite_path
        from studyhub.fileio import protect_database_file

        path = sqlite_path(self.settings().db_url)
        if path is not None:
            protect_database_file(path)

    # --- sign-in ---------------------------------------------------------------------------

    def session_path(self) -> Path:
        return self.settings().app_dir / SESSION_FILE_NAME

    def saved_token(self) -> str | None:
        try:
            data = json.loads(self.session_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        token = data.get("token") if isinstance(data, dict) else None
        return token if isinstance(token, str) else None

    def save_token(self, token: str, staff_no: str) -> None:
        """Keep the session token in the app dir, readable by its owner only (0600)."""
        path = self.session_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"token": token, "staff_no": staff_no, "database": self.database().url})
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
        os.chmod(path, 0o600)

    def forget_token(self) -> None:
        self.session_path().unlink(missing_ok=True)

    def secured(self) -> bool:
        """Whether anyone has a PIN (else the database is in setup mode). Decided once: the
        first PIN goes to an admin (``init``), and the last admin cannot be demoted or leave,
        so a roster change never brings setup mode back."""
        import sqlalchemy as sa

        from studyhub.models import Staff

        database = self.database(upgrade=False)
        if not sa.inspect(database.engine).has_table("staff"):
            return False  # a blank database: nothing to protect yet
        with database.session(readonly=True) as session:
            return bool(
                session.scalar(
                    sa.select(sa.func.count()).select_from(Staff).where(Staff.pin_hash.is_not(None))
                )
            )

    def _valid_session(self) -> bool:
        from studyhub.admin.auth import AuthError, verify_token

        token = self.saved_token()
        if token is None:
            return False
        try:
            verify_token(self.database(), token)
        except AuthError:
            return False
        return True

    def sign_in(self, *, pin_stream: object = None, staff_no: str | None = None) -> SignedIn:
        """The signed-in person (``staff_no`` when given): with ``pin_stream``
        (``--pin-stdin``), the PIN on its first line, always read, so that it can never be
        taken for anything else; otherwise the saved session when it is that person's, else a
        prompt on a terminal, else a one-line error. A prompt for ``staff_no`` while someone
        else is signed in leaves that sign-in as it is (:attr:`other_signed_in`)."""
        from studyhub.admin.auth import AuthError, authenticate, verify_token
        from studyhub.errors import PermissionDenied
        from studyhub.i18n import msg
        from studyhub.values import normalise_code

        database = self.database()
        wanted = normalise_code(staff_no) if staff_no else None
        token = None if pin_stream is not None else self.saved_token()
        saved = None
        if token is not None:
            try:
                saved = verify_token(database, token)
            except AuthError:
                if pin_stream is None and not sys.stdin.isatty():
                    raise
            else:
                if wanted is None or wanted == saved.staff_no:
                    self.signed_in_by = "saved"
                    return saved
        if pin_stream is not None:
            if not staff_no:
                raise PermissionDenied(msg("give --staff NO to sign in from standard input"))
            line = pin_stream.readline()  # type: ignore[attr-defined]
            if not line:
                raise PermissionDenied(msg("no PIN on standard input"))
            self.signed_in_by = "stdin"
            return authenticate(database, staff_no, line.rstrip("\r\n"))
        if not sys.stdin.isatty():
            if saved is not None:  # someone else is signed in: name them, and the way out
                raise PermissionDenied(
                    msg("{signed_in} is signed in here, not {staff_no}",
                        signed_in=saved.staff_no, staff_no=wanted),
                    hint=msg("run it in a terminal to type {staff_no}'s PIN, or give "
                             "--pin-stdin with the PIN as the first line of standard input",
                             staff_no=wanted),
                )  # fmt: skip
            raise PermissionDenied(
                msg("sign in first"),
                hint=msg(
                    "studyhub login, or give --staff NO --pin-stdin with the PIN as the first "
                    "line of standard input"
                ),
            )
        import click

        from studyhub.i18n import t

        if saved is not None:
            click.echo(t("auth.as_other", signed_in=saved.staff_no, staff_no=wanted), err=True)
        number = wanted or click.prompt(t("auth.staff_no"), err=True).strip()
        pin = click.prompt(t("auth.pin"), hide_input=True, err=True)
        person = authenticate(database, number, pin)
        self.typed_pin = pin
        self.signed_in_by = "prompt"
        self.other_signed_in = saved
        return person

    def _choose_pin(self, person: SignedIn) -> SignedIn:
        """A first sign-in at a terminal: straight on to choosing one's own PIN (new PIN
        twice; the PIN typed to sign in is the initial one, asked here only when the sign-in
        was a saved one)."""
        import click

        from studyhub.i18n import t
        from studyhub.quiz.signin import choose_pin

        def ask(prompt: str) -> str:
            return str(click.prompt(prompt, hide_input=True, err=True))

        old = self.typed_pin if self.typed_pin is not None else ask(t("auth.pin"))
        chosen = choose_pin(self.database(), person, old, ask, lambda s: click.echo(s, err=True))
        self.typed_pin = None
        self.pin_chosen = True
        return chosen

    def keep_sign_in(self, person: SignedIn) -> None:
        """Save ``person``'s session as ``login`` does (starting again within SESSION_HOURS
        asks nothing); never over someone else's sign-in."""
        from studyhub.admin.auth import issue_token

        if self.other_signed_in is None:
            self.save_token(issue_token(self.database(), person), person.staff_no)

    def authorize(self, path: str, role: str, params: dict[str, object] | None = None) -> None:
        """Sign in as the command needs and check the role (called by the guard).

        A command given ``--pin-stdin`` (quiz and practice, for scripts and screen readers)
        reads the PIN as the first line of standard input, with ``--staff NO``; no line of
        input is ever taken as a PIN without it. ``quiz`` and ``practice`` signed in at their
        prompt keep the session, as ``login`` does; with ``--staff NO`` they run as NO for that
        run alone (NO's PIN is asked unless NO is the one signed in, whose sign-in stays). An
        initial PIN typed at a terminal leads straight to choosing one's own; ``quiz --kiosk``
        signs each person in itself."""
        if role == "public":
            self.public = True
            return
        params = params or {}
        taking = path in ("quiz", "practice")
        if path == "quiz" and params.get("kiosk"):
            return  # the kiosk asks each person for their staff number and PIN
        if not self.secured():
            return  # setup mode: no admin yet, so there is nobody to sign in as
        from studyhub.admin.auth import require_role
        from studyhub.errors import PermissionDenied
        from studyhub.i18n import msg

        staff_no = params.get("staff_no") if taking else None
        if params.get("pin_stdin") and taking:
            person = self.sign_in(
                pin_stream=sys.stdin, staff_no=str(staff_no) if staff_no else None
            )
        else:
            person = self.sign_in(staff_no=str(staff_no) if staff_no else None)
        if person.must_change_pin and path != "passwd":
            if params.get("pin_stdin") or not sys.stdin.isatty():
                raise PermissionDenied(
                    msg("you signed in with an initial PIN; choose your own first"),
                    hint=msg("studyhub passwd"),
                )
            person = self._choose_pin(person)
        require_role(person, role, f"studyhub {path}")
        self.signed_in = person
        # kept: a sign-in at the prompt of quiz or practice (with --staff NO, that run's
        # alone), and a saved sign-in that the PIN just chosen has ended
        if (taking and self.signed_in_by == "prompt" and not staff_no) or (
            self.pin_chosen and self.signed_in_by == "saved"
        ):
            self.keep_sign_in(person)

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None
