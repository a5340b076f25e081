"""ledger19u: a reporter's own private requests summed per (matter, owner) beside the matter summaries
(matter_owner_summaries), so their ledger reads them instead of counting them live; the watch list indexed by
its user (user_id, request_id), for every statement that reads a reporter's watched requests. Every matter
summary is marked stale, so the ledger's next read computes the rows per owner with it.

Revision ID: ledger19u
Revises: board19s
Create Date: 2026-12-06 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ledger19u'
down_revision = 'board19s'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('matter_owner_summaries',
    sa.Column('owner_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('computed', sa.Integer(), nullable=False),
    sa.Column('private', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_matter_owner_summaries_matter_id_matters'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('owner_id', 'matter_id', name=op.f('pk_matter_owner_summaries'))
    )
    op.create_index('ix_matter_owner_summaries_matter_id', 'matter_owner_summaries', ['matter_id', 'computed'],
                    unique=False)
    op.create_index('ix_request_watchers_user_id', 'request_watchers', ['user_id', 'request_id'], unique=False)
    op.execute("UPDATE matter_summaries SET computed = -1")


def downgrade():
    op.drop_index('ix_request_watchers_user_id', table_name='request_watchers')
    op.drop_index('ix_matter_owner_summaries_matter_id', table_name='matter_owner_summaries')
    op.drop_table('matter_owner_summaries')
