"""staff sign-in with a ministry's OpenID Connect provider: user.oidc_issuer, user.oidc_sub

Added in place (ALTER TABLE ADD COLUMN, CREATE UNIQUE INDEX) on both databases. Batch mode would
rebuild `user` on SQLite, and with foreign keys on, dropping the old table cascades into
web_session and recovery_code: every session and recovery code would be lost.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:54:42.474634
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate renders its types)
from alembic import op

import council.models._base  # noqa: F401


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('user', sa.Column('oidc_issuer', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
    op.add_column('user', sa.Column('oidc_sub', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
    op.create_index('ix_user_oidc_issuer_oidc_sub', 'user', ['oidc_issuer', 'oidc_sub'], unique=True)


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place, too.
    op.drop_index('ix_user_oidc_issuer_oidc_sub', table_name='user')
    op.drop_column('user', 'oidc_sub')
    op.drop_column('user', 'oidc_issuer')
