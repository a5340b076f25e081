"""state deadlines: a request's kind for state periods, an agency's observed days

Requests record the kind of request that has its own statutory periods in some states (New Jersey's
commercial-purpose requests, Virginia's criminal investigative files). Agencies record the days their state's
law lets them close on (Texas: optional holidays they observe, and their own non-business days).

Revision ID: b7d2e4f6a8c0
Revises: a3c5e7f9b2d1
Create Date: 2026-12-06 03:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b7d2e4f6a8c0'
down_revision = 'a3c5e7f9b2d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_variant', sa.String(length=30), nullable=False, server_default=''))
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('observed_days', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('observed_days')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_column('deadline_variant')
