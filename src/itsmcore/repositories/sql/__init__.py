"""The SQL adapter (the ``sql`` extra): SQLite, PostgreSQL and MariaDB over SQLAlchemy Core.

>>> import os, tempfile
>>> store = SQLStore.sqlite(os.path.join(tempfile.mkdtemp(), "itsm.db"))
>>> store.schema_revision()
'0001'
>>> store.close()

The schema is created and upgraded by the Alembic migrations shipped in
``itsmcore/repositories/sql/migrations`` (``SQLStore(..., create=True)`` runs them, or call
:meth:`SQLStore.upgrade`).
"""

from __future__ import annotations

from itsmcore.repositories.sql._schema import KEY, Tables
from itsmcore.repositories.sql._store import SQLStore

__all__ = ["KEY", "SQLStore", "Tables"]
