"""search: the tsvector kept in the row (STORAGE MAIN) on PostgreSQL, existing rows rewritten

A phrase search rechecks every candidate page's tsvector; kept out of line (TOAST) each recheck costs an extra
index lookup and pages read. See tracker/documents/fts.py. Nothing changes on SQLite.

Revision ID: search13a
Revises: board19
Create Date: 2026-12-06 09:40:00.000000

"""
from alembic import op

from tracker.documents import fts

# revision identifiers, used by Alembic.
revision = 'search13a'
down_revision = 'board19'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(fts.POSTGRES_STORAGE)
    # SET STORAGE applies to rows written from now on: rewrite the existing ones (the generated column is
    # computed again and stored in the row). A minute or so for 100,000 pages, once.
    op.execute("UPDATE search_entries SET title = title")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(fts.POSTGRES_STORAGE_UNDO)
