"""The full-text index of search_entries: each database's own engine, made by the migration.

SQLite: an FTS5 table `search_fts` with external content (the rows of search_entries), kept in step by three
triggers, so every insert, update and delete of search_entries (by the ORM, by Core, by a cascade) updates it.
PostgreSQL: a stored generated column `search_entries.search_vector` (title weighted A, body B) with a GIN index.

Neither is in the SQLAlchemy metadata (FTS5 tables and tsvector columns have no portable model), so Alembic's
autogenerate and tests/core/test_core_migrations.py leave them out of the comparison with include_object and
include_name below. A later migration that rebuilds search_entries in SQLite batch mode must make the
triggers again (SQLite drops a table's triggers with it): call sqlite_ddl() after it.
"""

from __future__ import annotations

FTS_TABLE = "search_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_search_entries_search_vector"
CONFIG = "english"  # PostgreSQL's text search configuration; SQLite's tokenizer below stems English alike

SQLITE_DDL = [  # written out: the names above, as constants
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS search_entries_au", "DROP TRIGGER IF EXISTS search_entries_ad",
               "DROP TRIGGER IF EXISTS search_entries_ai", f"DROP TABLE IF EXISTS {FTS_TABLE}"]

POSTGRES_DDL = [
    f"ALTER TABLE search_entries ADD COLUMN {VECTOR_COLUMN} tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector('{CONFIG}', coalesce(title, '')), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', coalesce(body, '')), 'B')) STORED",
    f"CREATE INDEX {VECTOR_INDEX} ON search_entries USING gin ({VECTOR_COLUMN})",
]
# The tsvector kept in the row itself (compressed if that helps) and the text moved out instead: a phrase or a
# weighted search rechecks each candidate's tsvector, and one kept out of line (TOAST, where PostgreSQL puts
# a 2.5 kB vector of a 200-word page by default) costs an index lookup and more pages read for every row.
POSTGRES_STORAGE = f"ALTER TABLE search_entries ALTER COLUMN {VECTOR_COLUMN} SET STORAGE MAIN"
POSTGRES_STORAGE_UNDO = f"ALTER TABLE search_entries ALTER COLUMN {VECTOR_COLUMN} SET STORAGE EXTENDED"
POSTGRES_DROP = [f"DROP INDEX IF EXISTS {VECTOR_INDEX}",
                 f"ALTER TABLE search_entries DROP COLUMN IF EXISTS {VECTOR_COLUMN}"]


def ddl(dialect: str) -> list[str]:
    return SQLITE_DDL if dialect == "sqlite" else POSTGRES_DDL if dialect == "postgresql" else []


def drop_ddl(dialect: str) -> list[str]:
    return SQLITE_DROP if dialect == "sqlite" else POSTGRES_DROP if dialect == "postgresql" else []


def include_name(name, type_, parent_names) -> bool:
    """Alembic: leave the FTS5 table and its shadow tables (search_fts_data, _idx, ...) out of comparisons."""
    return not (type_ == "table" and name and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_")))


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic: leave the tsvector column and its GIN index (in the database, not in the models) alone."""
    if type_ == "column" and name == VECTOR_COLUMN and reflected and compare_to is None:
        return False
    if type_ == "index" and name == VECTOR_INDEX:
        return False
    return include_name(name, type_, {})
