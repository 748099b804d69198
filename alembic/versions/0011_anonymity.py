"""anonymity (issue 14): sessions written only at sign-in and sign-out, keys the server cannot open

Revision ID: 0011
Revises: 0009_consent_translations
Create Date: 2026-12-02

web_session: `last_seen_at` goes (the idle time now lives in an encrypted cookie, so a request
never writes the session row), and `anonymity_key_enc` (the key encrypted with the app secret
alone) is dropped with its contents; `anonymity_key_wrapped` takes its place, wrapped under a key
only the session cookie holds. Sessions open at the upgrade stay, without a key: their members
are asked to sign in again before posting anonymously (and the idle check, which needs the new
cookie, ends them at their next request anyway).

user: `anonymity_key_wrapped`, the member's anonymity key wrapped under their passphrase, its
salt and the server's pepper. Existing members keep their key: it is derived from the
passphrase as before at their next sign-in and wrapped from then on, under a fresh salt (so the
database stops deriving it); old comments stay theirs. Ballots on positions still open keep
their old tags (from the app secret) until the member's next vote takes them over under their
own key; ballots of adopted positions were already dropped at adoption.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (autogenerate renders its types)
from alembic import op

import council.models._base  # noqa: F401

revision: str = '0011'
down_revision: str | None = '0009_consent_translations'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymity_key_wrapped', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymity_key_wrapped', sa.LargeBinary(), nullable=True))
        batch_op.drop_column('anonymity_key_enc')
        batch_op.drop_column('last_seen_at')


def downgrade() -> None:
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'last_seen_at',
                council.models._base.UTCDateTime(timezone=True),
                nullable=False,
                server_default=sa.func.current_timestamp(),
            )
        )
        batch_op.add_column(sa.Column('anonymity_key_enc', sa.LargeBinary(), nullable=True))
        batch_op.drop_column('anonymity_key_wrapped')
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', server_default=None)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('anonymity_key_wrapped')
