"""stories: the newsroom's published stories (linked to matters, requests and documents), and the weekly
digest of what colleagues filed (an opt-in preference and the week last built)

Revision ID: e17d4e5f6071
Revises: e17b2c3d4e5f
Create Date: 2026-12-06 06:30:00

"""
import sqlalchemy as sa
from alembic import op

import tracker.core.models

revision = 'e17d4e5f6071'
down_revision = 'e17b2c3d4e5f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stories',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('headline', sa.String(length=300), nullable=False),
        sa.Column('url', sa.String(length=1000), nullable=False),
        sa.Column('published_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', tracker.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', tracker.core.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_stories_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stories')),
    )
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stories_published_on'), ['published_on'], unique=False)
    for table, column, target in (('story_matters', 'matter_id', 'matters'),
                                  ('story_requests', 'request_id', 'requests'),
                                  ('story_documents', 'attachment_id', 'attachments')):
        op.create_table(
            table,
            sa.Column('story_id', sa.Integer(), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f(f'fk_{table}_story_id_stories'),
                                    ondelete='CASCADE'),
            sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'),
                                    ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('story_id', column, name=op.f(f'pk_{table}')),
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f'ix_{table}_{column}', [column], unique=False)
    with op.batch_alter_table('reminder_preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('colleagues_digest', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('reminder_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('colleagues_week_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('reminder_state', schema=None) as batch_op:
        batch_op.drop_column('colleagues_week_on')
    with op.batch_alter_table('reminder_preferences', schema=None) as batch_op:
        batch_op.drop_column('colleagues_digest')
    for table, column in (('story_documents', 'attachment_id'), ('story_requests', 'request_id'),
                          ('story_matters', 'matter_id')):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_{column}')
        op.drop_table(table)
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stories_published_on'))
    op.drop_table('stories')
