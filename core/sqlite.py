"""The embedded SQLite database's write-ahead log, switched on once for the file.

WAL lets readers run beside a writer. The journal mode is kept in the database file, so it is
set when the tables are made or changed (after migrate), not by every new connection.
"""

from django.db import connections


def use_write_ahead_log(using="default", **_kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
