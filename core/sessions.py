"""Django's database sessions, with a new session written in one statement.

Django looks a fresh random key up before using it and inserts the row
inside a savepoint, to turn a clash of keys into a retry. Here the insert
itself says whether the key was free (INSERT ... ON CONFLICT DO NOTHING
inserts no row on a clash), and Django's retry draws a new key: the same
guarantee, one query instead of four."""

from __future__ import annotations

from typing import cast

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.db.models import Field
from django.utils.crypto import get_random_string

UPSERT_VENDORS = ("postgresql", "sqlite")


class SessionStore(DatabaseSessionStore):
    def _get_new_session_key(self) -> str:
        # The insert checks that the key is free (save); 32 random
        # characters practically never clash.
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        using = router.db_for_write(self.model)
        connection = connections[using]
        if not must_create or connection.vendor not in UPSERT_VENDORS:
            return super().save(must_create=must_create)
        data = self._get_session(no_load=True)  # type: ignore[attr-defined]  # SessionBase's, missing in the stubs
        obj = self.create_model_instance(data)
        meta = self.model._meta
        # The session model's fields are its columns.
        columns = ("session_key", "session_data", "expire_date")
        values = [
            cast(Field, meta.get_field(name)).get_db_prep_save(getattr(obj, name), connection) for name in columns
        ]
        names = ", ".join(connection.ops.quote_name(name) for name in columns)
        key = connection.ops.quote_name(columns[0])
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) VALUES (%s, %s, %s) "
                f"ON CONFLICT ({key}) DO NOTHING",
                values,
            )
            if cursor.rowcount != 1:
                raise CreateError
        return None
