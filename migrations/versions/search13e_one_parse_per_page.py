"""search13e: each page's text parsed once on PostgreSQL: the tsvector and its word pairs set by one trigger

The two generated columns (search_vector, phrase_pairs) each parsed the page's text, as a generated column cannot
read another; they become ordinary columns, keeping their values (no rewrite), and a BEFORE trigger sets both from
one parse. See tracker/documents/fts.py. Nothing changes on SQLite (FTS5 keeps its own index by triggers).

Revision ID: search13e
Revises: search13c
Create Date: 2026-12-07 00:45:00.000000

"""
from alembic import op

from tracker.documents import fts

# revision identifiers, used by Alembic.
revision = 'search13e'
down_revision = 'search13c'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in fts.POSTGRES_TRIGGER_DDL:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in fts.POSTGRES_TRIGGER_DROP:
        op.execute(statement)
