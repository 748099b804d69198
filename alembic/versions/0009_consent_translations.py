"""consent translations: the original language of consent texts, and their translations;
and the reason a consultation was closed before its deadline

Revision ID: 0009_consent_translations
Revises: 0007
Create Date: 2026-12-02

Existing consent texts are taken to be in English, the default locale.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate renders its types)
from alembic import op

import council.models._base  # noqa: F401


revision: str = '0009_consent_translations'
down_revision: str | None = '0007'  # 0007_listing_indexes.py
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('consent_text_translation',
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('translated_by_id', sa.Integer(), nullable=True),
    sa.Column('translated_at', council.models._base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consent_text_id', sa.Integer(), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.ForeignKeyConstraint(['consent_text_id'], ['consent_text.id'], name=op.f('fk_consent_text_translation_consent_text_id_consent_text'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translated_by_id'], ['user.id'], name=op.f('fk_consent_text_translation_translated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_text_translation')),
    sa.UniqueConstraint('consent_text_id', 'locale', name=op.f('uq_consent_text_translation_consent_text_id_locale'))
    )
    with op.batch_alter_table('consent_text', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), server_default='en', nullable=False))

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('closed_reason')

    with op.batch_alter_table('consent_text', schema=None) as batch_op:
        batch_op.drop_column('language')

    op.drop_table('consent_text_translation')
