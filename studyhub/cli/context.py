"""What every command shares: the resolved settings and a lazily opened database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyhub.config import Settings
    from studyhub.db import Database


@dataclass
class AppContext:
    db_url: str | None = None
    _database: Database | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        from studyhub.config import load_settings

        return load_settings(self.db_url)

    def database(self, *, upgrade: bool = True) -> Database:
        """The configured database, opened once per command (and upgraded unless told not)."""
        if self._database is None:
            from studyhub.db import open_database

            self._database = open_database(self.settings(), upgrade=upgrade)
        return self._database

    def actor(self) -> str:
        """Who is acting, for the audit trail (the operating-system user until sign-in exists)."""
        import getpass

        try:
            return f"os:{getpass.getuser()}"
        except (KeyError, OSError):
            return "os:unknown"

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None
