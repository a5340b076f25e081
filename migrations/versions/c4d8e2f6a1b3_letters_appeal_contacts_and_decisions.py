"""letters: appeal contacts, an agency-facing subject, the agency's decisions on the request's terms

Agencies hold their appeal authority (office and address were there; now email, portal and a "check" flag)
and the office that decides expedited processing of category (iv). Requests get the subject the agency is
told, and the agency's decisions on expedited processing, the fee waiver and the fee category, each dated.
A determination keeps the appeal instructions its letter gives.

Revision ID: c4d8e2f6a1b3
Revises: b7d2f4a6c8e0
Create Date: 2026-12-06 03:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4d8e2f6a1b3'
down_revision = 'b7d2f4a6c8e0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appeal_email', sa.String(length=320), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('appeal_portal_url', sa.String(length=500), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('appeal_check', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('expedited_iv_office_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_agencies_expedited_iv_office_id_agencies'), 'agencies',
                                    ['expedited_iv_office_id'], ['id'])
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('expedited_decision', sa.String(length=20), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('expedited_decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('fee_waiver_decision', sa.String(length=20), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('fee_waiver_decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('fee_category_decision', sa.String(length=30), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('fee_category_decided_on', sa.Date(), nullable=True))
    with op.batch_alter_table('determinations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appeal_office', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('appeal_address', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('appeal_email', sa.String(length=320), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('appeal_portal_url', sa.String(length=500), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('appeal_deadline_stated', sa.String(length=300), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('determinations', schema=None) as batch_op:
        for name in ('appeal_deadline_stated', 'appeal_portal_url', 'appeal_email', 'appeal_address',
                     'appeal_office'):
            batch_op.drop_column(name)
    with op.batch_alter_table('requests', schema=None) as batch_op:
        for name in ('fee_category_decided_on', 'fee_category_decision', 'fee_waiver_decided_on',
                     'fee_waiver_decision', 'expedited_decided_on', 'expedited_decision', 'subject'):
            batch_op.drop_column(name)
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agencies_expedited_iv_office_id_agencies'), type_='foreignkey')
        batch_op.drop_column('expedited_iv_office_id')
        batch_op.drop_column('appeal_check')
        batch_op.drop_column('appeal_portal_url')
        batch_op.drop_column('appeal_email')

