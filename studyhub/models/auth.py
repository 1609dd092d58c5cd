"""Sign-in sessions and per-database settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

# the modules of the tables its foreign keys name (studyhub.models imports table
# modules lazily, and a flush resolves every foreign key of the table)
import studyhub.models.org  # noqa: F401
from studyhub.models.base import Base, UTCDateTime


class AppSetting(Base):
    """Per-database values: the database's identity and the key that signs session tokens."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuthSession(Base):
    """A signed-in session (``studyhub login``); revoked by logout or a PIN change."""

    __tablename__ = "auth_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: the role the person had when signing in; a session ends when the role changes
    role: Mapped[str | None] = mapped_column(String(16))
