"""The full-text index of search_entries: each database's own engine, made by the migration.

SQLite: an FTS5 table `search_fts` with external content (the rows of search_entries), kept in step by three
triggers, so every insert, update and delete of search_entries (by the ORM, by Core, by a cascade) updates it.
PostgreSQL: a column `search_entries.search_vector` (title weighted A, body B) with a GIN index, and a second
column of the page's adjacent word pairs, `search_entries.phrase_pairs`, with its GIN index, that finds phrases.
Both are set by one trigger from the row's text (POSTGRES_TRIGGER_DDL below), so every insert and every update
of a title or body (by the ORM, by Core, by a restore's later writes) sets them; until search13e they were
generated columns.

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

POSTGRES_DDL = [  # as the first search migration made it; since search13e the trigger below sets it
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
# A phrase ("medical staff") is found by the GIN index above as pages holding both words; PostgreSQL then reads
# each such page's tsvector to check that they are adjacent: for two common words, 17,000 pages read to count 1,001
# hits. A second column holds the page's pairs of adjacent words, each pair as a 16-bit hash of the two
# lexemes in hex (65,536 keys, so its GIN index stays near the size of the first, 78 against 63 MB at 100,000
# pages, where the pairs themselves took 461 MB), made by search_pairs() from the same tsvector, so its positions
# are the ones the phrase operator checks. A page holding the phrase holds its pairs: the index narrows the pages
# read to those; a hash shared by another pair only adds pages that the tsvector condition, always kept beside it,
# leaves out. A column, not an index on search_pairs(search_vector): a plan that tests the pairs row by row (a
# sequential scan, when the statistics say the pairs are common) then reads them, where the function made them
# again for each row (0.4 ms: 450 ms for "medical staff"). hashtextextended is the hash PostgreSQL keeps stable
# across versions for hash partitions (half the cost of md5 here); array_to_tsvector drops repeated pairs.
PAIRS_FUNCTION = "search_pairs"
PAIRS_COLUMN = "phrase_pairs"
PAIRS_INDEX = "ix_search_entries_phrase_pairs"
PAIRS_FUNCTION_DDL = (  # written out: the names above, as constants
    "CREATE FUNCTION search_pairs(vector tsvector) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT "
    "PARALLEL SAFE AS $$ "
    "WITH word AS (SELECT u.lexeme, p FROM unnest(vector) AS u, unnest(u.positions) AS p) "
    "SELECT array_to_tsvector(coalesce(array_agg(to_hex((hashtextextended(a.lexeme || ' ' || b.lexeme, 0) & 65535)"
    "::int)), '{}')) "
    "FROM word AS a JOIN word AS b ON b.p = a.p + 1 $$")
PAIRS_COLUMN_DDL = [  # as search13c made it; since search13e the trigger below sets the column instead
    # A generated column cannot read another: the tsvector was made again from the same text, as search_vector.
    "ALTER TABLE search_entries ADD COLUMN phrase_pairs tsvector GENERATED ALWAYS AS (search_pairs("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(body, '')), 'B'))) STORED",
    "CREATE INDEX ix_search_entries_phrase_pairs ON search_entries USING gin (phrase_pairs)",
]
POSTGRES_PAIRS_DDL = [PAIRS_FUNCTION_DDL, *PAIRS_COLUMN_DDL]
POSTGRES_PAIRS_DROP = [f"DROP INDEX IF EXISTS {PAIRS_INDEX}",
                       f"ALTER TABLE search_entries DROP COLUMN IF EXISTS {PAIRS_COLUMN}",
                       f"DROP FUNCTION IF EXISTS {PAIRS_FUNCTION}(tsvector)"]
# The pairs of the phrases typed, as a tsquery of their hashes ('9a8 & 91c2'), or NULL when they have none (one
# word, or words with stop words between them): the same function over the phrase's own tsvector.
PAIRS_QUERY = ("(SELECT string_agg(DISTINCT pair, ' & ') FROM unnest(CAST(:phrases AS text[])) AS phrase, "
               "unnest(tsvector_to_array(search_pairs(to_tsvector('english', phrase)))) AS pair)")
POSTGRES_DROP = [f"DROP INDEX IF EXISTS {VECTOR_INDEX}",
                 f"ALTER TABLE search_entries DROP COLUMN IF EXISTS {VECTOR_COLUMN}"]

# Two generated columns parsed each page's text twice (to_tsvector, 0.24 ms for 200 words, once for each), as a
# generated column cannot read another. Ordinary columns set by one BEFORE trigger parse it once: the vector from
# the text, then the pairs from that vector (the same values; DROP EXPRESSION keeps the stored ones and rewrites
# nothing). The trigger also fires on a write of either column itself, so neither can be set to anything else.
INDEX_TRIGGER = "search_entries_index"
POSTGRES_TRIGGER_DDL = [  # written out: the names above, as constants
    "ALTER TABLE search_entries ALTER COLUMN search_vector DROP EXPRESSION, "
    "ALTER COLUMN phrase_pairs DROP EXPRESSION",
    "CREATE FUNCTION search_entries_index() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "NEW.search_vector := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(NEW.body, '')), 'B'); "
    "NEW.phrase_pairs := search_pairs(NEW.search_vector); "
    "RETURN NEW; END $$",
    "CREATE TRIGGER search_entries_index BEFORE INSERT OR UPDATE OF title, body, search_vector, phrase_pairs "
    "ON search_entries FOR EACH ROW EXECUTE FUNCTION search_entries_index()",
]
# Back to the generated columns of search13c (PostgreSQL can drop a column's expression but not add one back):
# both columns made again, which rewrites the table; the storage set before the second rewrite keeps the vector
# in the row.
POSTGRES_TRIGGER_DROP = [f"DROP TRIGGER IF EXISTS {INDEX_TRIGGER} ON search_entries",
                         f"DROP FUNCTION IF EXISTS {INDEX_TRIGGER}()",
                         f"ALTER TABLE search_entries DROP COLUMN {PAIRS_COLUMN}, DROP COLUMN {VECTOR_COLUMN}",
                         *POSTGRES_DDL, POSTGRES_STORAGE, *PAIRS_COLUMN_DDL]


def ddl(dialect: str) -> list[str]:
    return SQLITE_DDL if dialect == "sqlite" else POSTGRES_DDL if dialect == "postgresql" else []


def drop_ddl(dialect: str) -> list[str]:
    return SQLITE_DROP if dialect == "sqlite" else POSTGRES_DROP if dialect == "postgresql" else []


def include_name(name, type_, parent_names) -> bool:
    """Alembic: leave the FTS5 table and its shadow tables (search_fts_data, _idx, ...) out of comparisons."""
    return not (type_ == "table" and name and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_")))


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic: leave the tsvector columns and their GIN indexes (in the database, not in the models) alone."""
    if type_ == "column" and name in (VECTOR_COLUMN, PAIRS_COLUMN) and reflected and compare_to is None:
        return False
    if type_ == "index" and name in (VECTOR_INDEX, PAIRS_INDEX):
        return False
    return include_name(name, type_, {})
