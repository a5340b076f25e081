"""requests: referrals to another agency

A request an agency referred (all or part) to another agency is followed as a child request at that agency,
with its own clock. `referred_from_id` links the child to the request it came from; `referral_root_id` names
the first request of the chain, so the ledger (and the board) count a chain once.

Revision ID: e17b2c3d4e5f
Revises: e17a1b2c3d4e
Create Date: 2026-12-06 06:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e17b2c3d4e5f'
down_revision = 'e17a1b2c3d4e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referred_from_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('referral_root_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_requests_referred_from_id'), ['referred_from_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_referral_root_id'), ['referral_root_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_requests_referred_from_id_requests'), 'requests',
                                    ['referred_from_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_requests_referral_root_id_requests'), 'requests',
                                    ['referral_root_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_requests_referral_root_id_requests'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_requests_referred_from_id_requests'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_requests_referral_root_id'))
        batch_op.drop_index(batch_op.f('ix_requests_referred_from_id'))
        batch_op.drop_column('referral_root_id')
        batch_op.drop_column('referred_from_id')
