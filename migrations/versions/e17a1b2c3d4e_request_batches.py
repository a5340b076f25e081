"""batch: requests drafted together for several agencies

One request to many agencies (issue 17, part 1): a batch groups the drafts made in one step, one per agency;
each request keeps its own letter, clock, tracking number and status, and points to its batch.

Revision ID: e17a1b2c3d4e
Revises: b4d6f8a0c2e3
Create Date: 2026-12-06 06:30:00

"""
import sqlalchemy as sa
import tracker.core.models
from alembic import op

revision = 'e17a1b2c3d4e'
down_revision = 'b4d6f8a0c2e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'request_batches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', tracker.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_request_batches_created_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_request_batches')),
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_requests_batch_id'), ['batch_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_requests_batch_id_request_batches'), 'request_batches',
                                    ['batch_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_requests_batch_id_request_batches'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_requests_batch_id'))
        batch_op.drop_column('batch_id')
    op.drop_table('request_batches')
