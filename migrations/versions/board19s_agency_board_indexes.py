"""board19s: the board filtered to one agency reads that agency's range of each status: (agency_id, status, ...)
indexes in the orders of the board's columns, as the status indexes of board19 are for the whole board; the
(agency_id, status) index also holds the last change, privacy and the closing day; the windows' tallies are read
per agency and value from (window, agency_id, kind, key, private, n).

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


def downgrade():
    op.drop_index('ix_board_window_tallies_by_agency', table_name='board_window_tallies')
    for name in NEW:
        op.drop_index(name, table_name='requests')
    op.drop_index('ix_requests_agency_status', table_name='requests')
    op.create_index('ix_requests_agency_status', 'requests', ['agency_id', 'status'], unique=False)
