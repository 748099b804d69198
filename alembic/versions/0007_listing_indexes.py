"""indexes for the pages the benchmark measures (issue 8)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23

ix_comment_listing serves a consultation's approved-comment counts per section, each section's
pages of comments in order, and the results page; ix_comment_queue the moderation queue (pending,
oldest day first) without sorting every pending comment. Neither holds an author or a tag.
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(
            'ix_comment_listing',
            ['consultation_id', 'status', 'section_id', 'question_id', 'created_on', 'id'],
            unique=False,
        )
        batch_op.create_index('ix_comment_queue', ['status', 'created_on', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_queue')
        batch_op.drop_index('ix_comment_listing')
