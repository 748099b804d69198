"""Demo data for `make run` and screenshots: a ministry, six members, one official, one secretary
(people.py); an open consultation on a Ministry of Interior draft with comments in every
moderation state (consultations.py); a rate card with engagements in every status, consents and
a member stepping back (engagements.py); members' terms, two past meetings with attendance and
one coming (meetings.py); positions with government responses (positions.py); Ukrainian
translations of part of the draft, a question and a position (translations.py); and last year's
published annual report (annual_report.py).

Staff demo accounts share a *published* TOTP secret so that anyone trying the demo can sign in;
it is demo-only and printed in the clear for that reason.
"""

from __future__ import annotations

from sqlmodel import select

from council.db import Database
from council.demo import (
    annual_report,
    consultations,
    engagements,
    meetings,
    people,
    positions,
    translations,
)
from council.demo.people import DEMO_PASSPHRASE, DEMO_TOTP_SECRET, MINISTRY, SIGN_INS
from council.demo.positions import SOCIAL_POLICY
from council.models import User
from council.settings import Settings

__all__ = ["DEMO_PASSPHRASE", "DEMO_TOTP_SECRET", "MINISTRY", "SIGN_INS", "SOCIAL_POLICY", "load"]


def has_data(db: Database) -> bool:
    with db.read() as session:
        return session.execute(select(User.id).limit(1)).first() is not None


def load(db: Database, settings: Settings) -> None:
    people.load(db, settings)
    consultations.load(db, settings)
    engagements.load(db, settings)
    meetings.load(db, settings)
    positions.load(db, settings)
    translations.load(db)
    annual_report.load(db, settings)
