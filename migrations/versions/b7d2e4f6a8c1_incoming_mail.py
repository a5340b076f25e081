"""mail: incoming messages fetched over IMAP, and the fetch cursor per folder

Revision ID: b7d2e4f6a8c1
Revises: c4d6e8f0a2b4
Create Date: 2026-12-06 03:45:00

"""
import sqlalchemy as sa
from alembic import op

import tracker.core.models

revision = 'b7d2e4f6a8c1'
down_revision = 'c4d6e8f0a2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_cursors',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('folder', sa.String(length=255), nullable=False),
        sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
        sa.Column('last_uid', sa.BigInteger(), nullable=False),
        sa.Column('updated_at', tracker.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_cursors')),
        sa.UniqueConstraint('folder', name=op.f('uq_mail_cursors_folder')),
    )
    op.create_table(
        'incoming_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_key', sa.String(length=64), nullable=False),
        sa.Column('message_id', sa.String(length=998), nullable=False),
        sa.Column('folder', sa.String(length=255), nullable=False),
        sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
        sa.Column('uid', sa.BigInteger(), nullable=False),
        sa.Column('fetched_at', tracker.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', tracker.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('from_address', sa.String(length=320), nullable=False),
        sa.Column('from_name', sa.String(length=300), nullable=False),
        sa.Column('to_addresses', sa.Text(), nullable=False),
        sa.Column('subject', sa.String(length=500), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('attachment_names', sa.JSON(), nullable=False),
        sa.Column('storage_key', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('matched_by', sa.String(length=20), nullable=False),
        sa.Column('trusted', sa.Boolean(), nullable=False),
        sa.Column('forwarded', sa.Boolean(), nullable=False),
        sa.Column('forwarded_by_id', sa.Integer(), nullable=True),
        sa.Column('notes', sa.JSON(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('communication_id', sa.Integer(), nullable=True),
        sa.Column('handled_by_id', sa.Integer(), nullable=True),
        sa.Column('handled_at', tracker.core.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['communication_id'], ['communications.id'],
                                name=op.f('fk_incoming_messages_communication_id_communications'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['forwarded_by_id'], ['users.id'],
                                name=op.f('fk_incoming_messages_forwarded_by_id_users')),
        sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_incoming_messages_handled_by_id_users')),
        sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_incoming_messages_request_id_requests'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incoming_messages')),
        sa.UniqueConstraint('message_key', name=op.f('uq_incoming_messages_message_key')),
        sa.UniqueConstraint('folder', 'uidvalidity', 'uid', name=op.f('uq_incoming_messages_folder_uidvalidity_uid')),
    )
    with op.batch_alter_table('incoming_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incoming_messages_communication_id'), ['communication_id'])
        batch_op.create_index(batch_op.f('ix_incoming_messages_forwarded_by_id'), ['forwarded_by_id'])
        batch_op.create_index(batch_op.f('ix_incoming_messages_request_id'), ['request_id'])
        batch_op.create_index('ix_incoming_messages_status_fetched_at', ['status', 'fetched_at'])


def downgrade():
    with op.batch_alter_table('incoming_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_incoming_messages_status_fetched_at')
        batch_op.drop_index(batch_op.f('ix_incoming_messages_request_id'))
        batch_op.drop_index(batch_op.f('ix_incoming_messages_forwarded_by_id'))
        batch_op.drop_index(batch_op.f('ix_incoming_messages_communication_id'))
    op.drop_table('incoming_messages')
    op.drop_table('mail_cursors')
