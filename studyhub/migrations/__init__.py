"""Alembic migrations shipped inside the package: one tree for SQLite and PostgreSQL.

``HEAD`` names the newest revision so that opening a database can tell whether it needs
upgrading without importing Alembic; a test checks it against the revision tree.
"""

HEAD = "0015"
