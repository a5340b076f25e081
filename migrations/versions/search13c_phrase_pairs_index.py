"""search13c: phrases found through a generated column of each page's adjacent word pairs and its GIN index (PostgreSQL)

A quoted phrase of common words made PostgreSQL read the tsvector of every page holding both words to count its
hits (17,000 pages for "medical staff" at 100,000 pages); the pairs index finds the pages holding the phrase's
pairs. See tracker/documents/fts.py. Adding the column rewrites search_entries and the index reads every page
once (a few minutes for 100,000 pages). Nothing changes on SQLite (FTS5 keeps word positions in its own index).

Revision ID: search13c
Revises: list15a
Create Date: 2026-12-06 21:10:00.000000

"""
from alembic import op

from tracker.documents import fts

# revision identifiers, used by Alembic.
revision = 'search13c'
down_revision = 'list15a'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in fts.POSTGRES_PAIRS_DDL:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in fts.POSTGRES_PAIRS_DROP:
        op.execute(statement)
