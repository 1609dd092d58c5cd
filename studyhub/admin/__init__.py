"""Running the system: sign-in and roles, the audit trail, backups, the first run.

- :mod:`~studyhub.admin.auth`: PINs (scrypt), lockout, sign-in sessions, roles
- :mod:`~studyhub.admin.audit`: the append-only audit trail, written in each change's transaction
- :mod:`~studyhub.admin.backup`: SQLite online backup, restore and the checks after it
- :mod:`~studyhub.admin.firstrun`: a fresh database: the shipped banks and a demo person
"""
