"""Backups that restore: one archive with the database, the generated files and a manifest.

- :mod:`.archive`: writing and reading the archive (``manifest.json``, the database dump, the
  files), checked member by member before anything is changed.
- :mod:`.database`: the consistent online copy (SQLite's backup API; ``pg_dump`` in a
  snapshot on PostgreSQL) and its reverse, with the counts and chain head taken from the very
  state that was copied.
- :mod:`.running`: whether a server or a worker of this checkout is still using the database.
- :mod:`.chain`: the history chain head written into the manifest.

``manage.py backup`` and ``manage.py restore`` are the only callers.
"""
