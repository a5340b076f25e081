"""board19s: the board filtered to one agency reads that agency's range of each status: (agency_id, status, ...)
indexes in the orders of the board's columns, as the status indexes of board19 are for the whole board; the
(agency_id, status) index also holds the last change, privacy and the closing day; the windows' tallies are read
per agency and value from (window, agency_id, kind, key, private, n); a reporter's own private requests are counted
in the windows per owner (board_owner_window_tallies, from the facts' owner), not read live: the board's next read
builds the facts again.

Revision ID: board19s
Revises: search13a
Create Date: 2026-12-06 12:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'board19s'
down_revision = 'search13a'
branch_labels = None
depends_on = None

NEW = {
    'ix_requests_agency_status_closed_on': ['agency_id', 'status', 'closed_on', 'private'],
    'ix_requests_agency_status_response_due': [
        'agency_id', 'status', 'response_due', sa.text('updated_at DESC'), sa.text('id DESC'), 'private'],
    'ix_requests_agency_status_appeal_decision_due': [
        'agency_id', 'status', 'appeal_decision_due', sa.text('updated_at DESC'), sa.text('id DESC'), 'private'],
    'ix_requests_agency_status_our_answer_appeal_due': [
        'agency_id', 'status', 'our_answer_due_on', 'appeal_due', sa.text('updated_at DESC'), sa.text('id DESC'),
        'private'],
    'ix_requests_agency_status_appeal_due': [
        'agency_id', 'status', 'appeal_due', sa.text('updated_at DESC'), sa.text('id DESC'), 'our_answer_due_on',
        'private'],
}


def upgrade():
    op.drop_index('ix_requests_agency_status', table_name='requests')
    op.create_index('ix_requests_agency_status', 'requests',
                    ['agency_id', 'status', 'updated_at', 'id', 'private', 'closed_on'], unique=False)
    for name, columns in NEW.items():
        op.create_index(name, 'requests', columns, unique=False)
    op.create_index('ix_board_window_tallies_by_agency', 'board_window_tallies',
                    ['window', 'agency_id', 'kind', 'key', 'private', 'n'], unique=False)
    with op.batch_alter_table('board_facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), server_default='0', nullable=False))
    op.create_table('board_owner_window_tallies',
    sa.Column('window', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('agency_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('window', 'owner_id', 'agency_id', 'kind', 'key', name=op.f('pk_board_owner_window_tallies'))
    )
    # The facts now carry their request's owner: the board's first read builds them again, told so by this row.
    op.execute("DELETE FROM board_windows WHERE name = 'rebuild'")
    op.execute("INSERT INTO board_windows (name, as_of) VALUES ('rebuild', '2000-01-01')")


def downgrade():
    op.drop_table('board_owner_window_tallies')
    with op.batch_alter_table('board_facts', schema=None) as batch_op:
        batch_op.drop_column('owner_id')
    op.drop_index('ix_board_window_tallies_by_agency', table_name='board_window_tallies')
    for name in NEW:
        op.drop_index(name, table_name='requests')
    op.drop_index('ix_requests_agency_status', table_name='requests')
    op.create_index('ix_requests_agency_status', 'requests', ['agency_id', 'status'], unique=False)
