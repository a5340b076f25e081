"""board tallies: requests counted per status, privacy, agency and whether their column's deadline is set

The board's column counts read these few rows (kept on every change, tracker/board/tallies.py) instead of
counting every request; the 12-month figures and the agency scorecards read windows of facts moved once a day
(windows.py).
Existing requests are counted here. Indexes: the board filtered to an agency or an owner, a reporter's own private requests, the "waiting on us" cards with no
answer due in appeal-deadline order, and who may see a request without reading its wide row; one on
determinations: the 12-month index with the request, for the board's figures seen through the requests.

Revision ID: e19a5f607182
Revises: e17d4e5f6071
Create Date: 2026-12-06 06:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e19a5f607182'
down_revision = 'e17d4e5f6071'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('board_entries',
    sa.Column('request_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('dated', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('request_id', name=op.f('pk_board_entries'))
    )
    op.create_table('board_tallies',
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('agency_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('dated', sa.Boolean(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('status', 'private', 'agency_id', 'dated', name=op.f('pk_board_tallies'))
    )
    op.create_table('board_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_facts'))
    )
    with op.batch_alter_table('board_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_facts_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_board_facts_request_id'), ['request_id'], unique=False)
    op.create_table('board_windows',
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_board_windows'))
    )
    op.create_table('board_window_tallies',
    sa.Column('window', sa.String(length=20), nullable=False),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('agency_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('window', 'private', 'agency_id', 'kind', 'key', name=op.f('pk_board_window_tallies'))
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index('ix_requests_status_our_answer_appeal_due', ['status', 'our_answer_due_on', 'appeal_due'],
                              unique=False)
        batch_op.create_index('ix_requests_visibility', ['id', 'private', 'owner_id'], unique=False)
        batch_op.create_index('ix_requests_agency_status', ['agency_id', 'status'], unique=False)
        batch_op.create_index('ix_requests_owner_status', ['owner_id', 'status'], unique=False)
        batch_op.create_index('ix_requests_owner_private', ['owner_id', 'private'], unique=False)
        batch_op.create_index('ix_requests_status_estimated_completion_on', ['status', 'estimated_completion_on'],
                              unique=False)
    with op.batch_alter_table('determinations', schema=None) as batch_op:
        batch_op.create_index('ix_determinations_twelve_months_requests',
                              ['stage', 'decided_on', 'working_days', 'on_time', 'request_id'], unique=False)
    # The requests already there (the same rule as tracker/board/tallies.py: _key).
    op.execute(
        "INSERT INTO board_entries (request_id, status, private, agency_id, dated) "
        "SELECT id, status, private, agency_id, "
        "CASE WHEN status IN ('filed', 'acknowledged') THEN response_due IS NOT NULL "
        "WHEN status = 'appealed' THEN appeal_decision_due IS NOT NULL ELSE 1 = 0 END FROM requests")
    op.execute(
        "INSERT INTO board_tallies (status, private, agency_id, dated, n) "
        "SELECT status, private, agency_id, dated, COUNT(*) FROM board_entries "
        "GROUP BY status, private, agency_id, dated")
    # The facts of the periods (tracker/board/windows.py) need the deadline calendars: the board's first read
    # builds them, told so by this row.
    op.execute("INSERT INTO board_windows (name, as_of) VALUES ('rebuild', '2000-01-01')")


def downgrade():
    op.drop_table('board_window_tallies')
    op.drop_table('board_windows')
    with op.batch_alter_table('board_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_facts_request_id'))
        batch_op.drop_index(batch_op.f('ix_board_facts_day'))
    op.drop_table('board_facts')
    with op.batch_alter_table('determinations', schema=None) as batch_op:
        batch_op.drop_index('ix_determinations_twelve_months_requests')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index('ix_requests_status_estimated_completion_on')
        batch_op.drop_index('ix_requests_owner_private')
        batch_op.drop_index('ix_requests_owner_status')
        batch_op.drop_index('ix_requests_agency_status')
        batch_op.drop_index('ix_requests_visibility')
        batch_op.drop_index('ix_requests_status_our_answer_appeal_due')
    op.drop_table('board_tallies')
    op.drop_table('board_entries')
