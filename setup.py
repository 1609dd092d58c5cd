"""Only so that Babel's catalog commands run from setup.cfg (`python setup.py
extract_messages`, `update_catalog`, `compile_catalog`); metadata is in pyproject.toml."""

from setuptools import setup

setup()
