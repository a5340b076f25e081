"""mail out: proposals read from agency letters; outbox letters with their own headers and attachments

Revision ID: b7d2f4a6c8e0
Revises: b7d2e4f6a8c1
Create Date: 2026-12-06 03:45:00

"""
import sqlalchemy as sa
from alembic import op

import tracker.core.models

revision = 'b7d2f4a6c8e0'
down_revision = 'b7d2e4f6a8c1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'proposals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('communication_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('sentence', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('created_at', tracker.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', tracker.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['communication_id'], ['communications.id'],
                                name=op.f('fk_proposals_communication_id_communications'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_proposals_decided_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_proposals_event_id_events'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_proposals_request_id_requests'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
        sa.UniqueConstraint('communication_id', 'kind', name='uq_proposals_communication_kind'),
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_request_status', ['request_id', 'status'], unique=False)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headers', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('attachments')
        batch_op.drop_column('headers')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_request_status')
    op.drop_table('proposals')
