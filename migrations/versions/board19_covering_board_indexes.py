"""board19: the board's status indexes also hold privacy and agency (and the day of receipt, the last change's id,
the closing day where a condition tests them), so the board's counts and its columns' first cards are read from
the index alone at any number of requests; the (status, our_answer_due_on) index is dropped, the start of the
(status, our_answer_due_on, appeal_due) one; a matter's requests are read from the (matter_id, request_id) index, a reporter's private facts from
(request_id, day, kind, key, agency_id).

Revision ID: board19
Revises: e19a5f607182
Create Date: 2026-12-06 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'board19'
down_revision = 'e19a5f607182'
branch_labels = None
depends_on = None

# name -> (columns before, columns after)
CHANGED = {
    'ix_requests_status_response_due': (
        ['status', 'response_due'],
        ['status', 'response_due', sa.text('updated_at DESC'), sa.text('id DESC'), 'private', 'agency_id',
         'received_on']),
    'ix_requests_status_appeal_decision_due': (
        ['status', 'appeal_decision_due'],
        ['status', 'appeal_decision_due', sa.text('updated_at DESC'), sa.text('id DESC'), 'private', 'agency_id']),
    'ix_requests_status_closed_on': (['status', 'closed_on'], ['status', 'closed_on', 'private', 'agency_id']),
    'ix_requests_status_updated_at': (
        ['status', 'updated_at'], ['status', 'updated_at', 'id', 'private', 'agency_id', 'closed_on']),
    'ix_requests_status_appeal_due': (
        ['status', 'appeal_due'],
        ['status', 'appeal_due', sa.text('updated_at DESC'), sa.text('id DESC'), 'our_answer_due_on', 'private',
         'agency_id']),
    'ix_requests_status_our_answer_appeal_due': (
        ['status', 'our_answer_due_on', 'appeal_due'],
        ['status', 'our_answer_due_on', 'appeal_due', sa.text('updated_at DESC'), sa.text('id DESC'), 'private',
         'agency_id']),
    'ix_requests_owner_private': (['owner_id', 'private'], ['owner_id', 'private', 'id']),
    'ix_requests_status_estimated_completion_on': (
        ['status', 'estimated_completion_on'],
        ['status', 'estimated_completion_on', 'private', 'agency_id', 'received_on']),
}


def upgrade():
    for name, (_before, after) in CHANGED.items():
        op.drop_index(name, table_name='requests')
        op.create_index(name, 'requests', after, unique=False)
    op.drop_index('ix_requests_status_our_answer_due_on', table_name='requests')
    op.drop_index('ix_request_matters_matter_id', table_name='request_matters')
    op.create_index('ix_request_matters_matter_id', 'request_matters', ['matter_id', 'request_id'], unique=False)
    op.drop_index('ix_board_facts_request_id', table_name='board_facts')
    op.create_index('ix_board_facts_request_id', 'board_facts', ['request_id', 'day', 'kind', 'key', 'agency_id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_board_facts_request_id', table_name='board_facts')
    op.create_index('ix_board_facts_request_id', 'board_facts', ['request_id'], unique=False)
    op.drop_index('ix_request_matters_matter_id', table_name='request_matters')
    op.create_index('ix_request_matters_matter_id', 'request_matters', ['matter_id'], unique=False)
    op.create_index('ix_requests_status_our_answer_due_on', 'requests', ['status', 'our_answer_due_on'], unique=False)
    for name, (before, _after) in CHANGED.items():
        op.drop_index(name, table_name='requests')
        op.create_index(name, 'requests', before, unique=False)
