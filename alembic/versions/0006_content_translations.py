"""content translations: the original language of draft versions and positions, and one table
per translated thing (draft versions, draft sections, questions, positions, recommendations)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

Follows 0005 (positions). Existing rows are taken to be in English, the default locale.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate renders its types)
from alembic import op

import council.models._base  # noqa: F401


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('draft_version_translation',
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('translated_by_id', sa.Integer(), nullable=True),
    sa.Column('translated_at', council.models._base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['translated_by_id'], ['user.id'], name=op.f('fk_draft_version_translation_translated_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['draft_version.id'], name=op.f('fk_draft_version_translation_version_id_draft_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_version_translation')),
    sa.UniqueConstraint('version_id', 'locale', name=op.f('uq_draft_version_translation_version_id_locale'))
    )
    op.create_table('draft_section_translation',
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('translated_by_id', sa.Integer(), nullable=True),
    sa.Column('translated_at', council.models._base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('heading', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('content_warning', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.ForeignKeyConstraint(['section_id'], ['draft_section.id'], name=op.f('fk_draft_section_translation_section_id_draft_section'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translated_by_id'], ['user.id'], name=op.f('fk_draft_section_translation_translated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_section_translation')),
    sa.UniqueConstraint('section_id', 'locale', name=op.f('uq_draft_section_translation_section_id_locale'))
    )
    op.create_table('position_translation',
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('translated_by_id', sa.Integer(), nullable=True),
    sa.Column('translated_at', council.models._base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('source_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['position_id'], ['position.id'], name=op.f('fk_position_translation_position_id_position'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translated_by_id'], ['user.id'], name=op.f('fk_position_translation_translated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_translation')),
    sa.UniqueConstraint('position_id', 'locale', name=op.f('uq_position_translation_position_id_locale'))
    )
    op.create_table('question_translation',
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('translated_by_id', sa.Integer(), nullable=True),
    sa.Column('translated_at', council.models._base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_translation_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translated_by_id'], ['user.id'], name=op.f('fk_question_translation_translated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_translation')),
    sa.UniqueConstraint('question_id', 'locale', name=op.f('uq_question_translation_question_id_locale'))
    )
    op.create_table('recommendation_translation',
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('translated_by_id', sa.Integer(), nullable=True),
    sa.Column('translated_at', council.models._base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], name=op.f('fk_recommendation_translation_recommendation_id_recommendation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translated_by_id'], ['user.id'], name=op.f('fk_recommendation_translation_translated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_translation')),
    sa.UniqueConstraint('recommendation_id', 'locale', name=op.f('uq_recommendation_translation_recommendation_id_locale'))
    )
    with op.batch_alter_table('draft_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), server_default='en', nullable=False))

    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), server_default='en', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('position', schema=None) as batch_op:
        batch_op.drop_column('language')

    with op.batch_alter_table('draft_version', schema=None) as batch_op:
        batch_op.drop_column('language')

    op.drop_table('recommendation_translation')
    op.drop_table('question_translation')
    op.drop_table('position_translation')
    op.drop_table('draft_section_translation')
    op.drop_table('draft_version_translation')
