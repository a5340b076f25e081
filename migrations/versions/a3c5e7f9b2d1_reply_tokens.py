"""mail: reply tokens, message ids, agency mail domains

Each request gets the random tag of its reply address (foia+TAG@newsroom.org); existing requests are given
one here. Communications keep the Message-ID of the email they were sent or received as; agencies list the
mail domains their staff write from and whether they take requests only through a portal.

Revision ID: a3c5e7f9b2d1
Revises: e9f7ec707856
Create Date: 2026-12-06 03:40:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = 'a3c5e7f9b2d1'
down_revision = 'e9f7ec707856'
branch_labels = None
depends_on = None

ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def upgrade():
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_domains', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('portal_only', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('communications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=998), nullable=True))
        batch_op.create_index(batch_op.f('ix_communications_message_id'), ['message_id'], unique=False)
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_token', sa.String(length=20), nullable=True))
    conn = op.get_bind()
    requests = sa.table('requests', sa.column('id', sa.Integer), sa.column('reply_token', sa.String))
    for (request_id,) in conn.execute(sa.select(requests.c.id)).all():
        token = "".join(secrets.choice(ALPHABET) for _ in range(10))
        conn.execute(requests.update().where(requests.c.id == request_id).values(reply_token=token))
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.alter_column('reply_token', existing_type=sa.String(length=20), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_requests_reply_token'), ['reply_token'])


def downgrade():
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_requests_reply_token'), type_='unique')
        batch_op.drop_column('reply_token')
    with op.batch_alter_table('communications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_communications_message_id'))
        batch_op.drop_column('message_id')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('portal_only')
        batch_op.drop_column('mail_domains')
