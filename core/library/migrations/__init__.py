"""Alembic migrations of the device library (run by :mod:`core.library.migrate`)."""
