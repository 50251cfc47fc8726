"""Alembic environment and revisions, shipped with the package and run by `hegui.db.migrate`.

One revision per feature, chained by `down_revision`; see docs/platform.md.
"""
