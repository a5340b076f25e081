"""ui: the agency's estimated completion date on a request

5 U.S.C. 552(a)(7)(B) obliges an agency to give an estimated date on which it will complete action on a
request. The request keeps the latest estimate and the day it was given; every estimate is also an event
("estimate") on the timeline, which is its history.

Revision ID: b4d6f8a0c2e3
Revises: c4d8e2f6a1b3
Create Date: 2026-12-06 03:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b4d6f8a0c2e3'
down_revision = 'c4d8e2f6a1b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('estimated_completion_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('estimated_completion_given_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_column('estimated_completion_given_on')
        batch_op.drop_column('estimated_completion_on')
