"""The council's year in figures, for the annual report (issue 18).

`figures(session, year, now)` returns plain JSON-ready data: what the secretariat previews and
what publishing freezes into `AnnualReport.snapshot` (models/annual_report.py says why). The
public page and the PDF render only that data, so a published report never changes.

What counts for year Y (UTC calendar year):
- consultations held: those opened in Y, with their comment period (opening day to deadline);
- positions: those published in Y and still published, each recommendation with the ministry's
  current answer, days to the first answer and whether it is overdue, all by the scorecard's
  definitions (queries/scorecard.py: `outcomes`, reused, not repeated), as they stand at `now`;
- participation and payments: engagements done in Y (completed, approved or paid), only as
  aggregates of at least five members (rules/disclosure.py): how many members took part, the
  fees and, separately, the expenses per currency. No per-member figure, no small cell, no pair
  of totals whose difference isolates a smaller group;
- meetings held: not yet known to the platform (meetings arrive with another part of issue 18);
  `meetings` stays None, and the page says nothing about meetings, rather than a made-up zero.

A bounded number of statements whatever the year's size: two for the responses, one each for
consultations, positions, recommendations' texts and the ledger's groups, and one per language
for the titles.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from council.i18n import LOCALES
from council.models import (
    AnnualReport,
    Consultation,
    Engagement,
    Ministry,
    Position,
    PositionStatus,
    Recommendation,
    ReportStatus,
    Status,
    User,
)
from council.queries import NotFound
from council.queries import scorecard as sc
from council.queries import translations as tq
from council.rules import disclosure, permissions
from council.rules import ledger as ledger_rules

FIRST_YEAR = 2000
LAST_YEAR = 2100
SNAPSHOT_VERSION = 1
HELD = (Status.OPEN.value, Status.CLOSED.value, Status.ANSWERED.value)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def valid_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def _titles(session: Session, loader: Any, ids: list[int]) -> dict[int, dict[str, dict[str, str]]]:
    """Each id's title in every language the site speaks (a translation where one is current,
    else the original with its language), so the frozen report reads right in each of them."""
    found: dict[int, dict[str, dict[str, str]]] = {key: {} for key in ids}
    if not ids:
        return found
    for locale in LOCALES:
        for key, title in loader(session, ids, locale).items():
            found[key][locale] = {"text": title.text, "lang": title.lang}
    return found


def _consultations(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    rows = session.execute(
        sa_select(
            col(Consultation.id),
            col(Ministry.name),
            col(Consultation.opened_at),
            col(Consultation.deadline),
            col(Consultation.status),
        )
        .join(Ministry, col(Ministry.id) == col(Consultation.ministry_id))
        .where(
            col(Consultation.status).in_(HELD),
            col(Consultation.opened_at) >= start,
            col(Consultation.opened_at) < end,
        )
        .order_by(col(Consultation.opened_at), col(Consultation.id))
    ).all()
    titles = _titles(session, tq.consultation_titles, [row[0] for row in rows])
    return [
        {
            "id": cid,
            "title": titles[cid],
            "ministry": ministry,
            "opened": _day(opened),
            "deadline": _day(deadline),
            "days": (deadline.date() - opened.date()).days if opened and deadline else None,
            "status": status,
        }
        for cid, ministry, opened, deadline, status in rows
    ]


def _score_dict(score: sc.MinistryScore) -> dict[str, Any]:
    return {
        "ministry": score.ministry,
        "made": score.made,
        "responded": score.responded,
        "accepted": score.accepted,
        "partly": score.partly,
        "rejected": score.rejected,
        "considering": score.considering,
        "overdue": score.overdue,
        "median_days": score.median_days,
    }


def _positions(
    session: Session, start: datetime, end: datetime, now: datetime
) -> tuple[list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]]:
    outcomes = sc.outcomes(session, now, published_from=start, published_before=end)
    positions = session.execute(
        sa_select(col(Position.id), col(Position.language), col(Ministry.name))
        .join(Ministry, col(Ministry.id) == col(Position.ministry_id))
        .where(
            col(Position.status) == PositionStatus.PUBLISHED.value,
            col(Position.published_at) >= start,
            col(Position.published_at) < end,
        )
        .order_by(col(Position.published_at), col(Position.id))
    ).all()
    ids = [row[0] for row in positions]
    texts = dict(
        session.execute(
            select(Recommendation.id, Recommendation.text).where(
                col(Recommendation.position_id).in_(ids)
            )
        ).all()
    )
    titles = _titles(session, tq.position_titles, ids)
    by_position: dict[int, list[sc.RecommendationOutcome]] = {}
    for outcome in outcomes:
        by_position.setdefault(outcome.position_id, []).append(outcome)
    listed = []
    for pid, language, ministry in positions:
        own = by_position.get(pid, [])
        first = own[0] if own else None
        listed.append(
            {
                "id": pid,
                "title": titles[pid],
                "ministry": ministry,
                "published": _day(first.published_at) if first else None,
                "due": _day(first.due) if first else None,
                "recommendations": [
                    {
                        "number": o.number,
                        "text": texts.get(o.recommendation_id, ""),
                        "lang": language,
                        "status": o.current,
                        "responded": _day(o.first_response_at),
                        "days": o.days,
                        "overdue": o.overdue,
                    }
                    for o in own
                ],
            }
        )
    total = sc.MinistryScore(0, "")
    for outcome in outcomes:
        sc.add(total, outcome)
    return listed, _score_dict(total), [_score_dict(s) for s in sc.by_ministry(outcomes)]


def _participation(
    session: Session, start: datetime, end: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One row per member and currency (never per engagement): the members who took part and,
    per currency, the fees and the expenses, each shown only for five members or more."""
    rows = session.execute(
        sa_select(
            col(Engagement.member_id),
            col(Engagement.former_member_ref),
            col(Engagement.currency),
            func.count(),
            func.sum(col(Engagement.fee_minor)),
            func.sum(col(Engagement.expenses_minor)),
        )
        .where(
            col(Engagement.status).in_(ledger_rules.COMMITTED),
            col(Engagement.occurred_on) >= start.date(),
            col(Engagement.occurred_on) < end.date(),
        )
        .group_by(
            col(Engagement.member_id),
            col(Engagement.former_member_ref),
            col(Engagement.currency),
        )
    ).all()
    # A deleted account's lines keep a former-member reference in place of the member.
    members: set[tuple[int | None, str | None]] = set()
    engagements = 0
    currencies: dict[str, dict[str, Any]] = {}
    for member_id, former, currency, count, fees, expenses in rows:
        members.add((member_id, former))
        engagements += int(count)
        bucket = currencies.setdefault(
            currency, {"payees": 0, "fees": 0, "claimants": 0, "expenses": 0}
        )
        if int(fees or 0) > 0:
            bucket["payees"] += 1
            bucket["fees"] += int(fees)
        if int(expenses or 0) > 0:
            bucket["claimants"] += 1
            bucket["expenses"] += int(expenses)
    participation = {
        "members": disclosure.shown(len(members)),
        "engagements": disclosure.shown(len(members), engagements),
    }
    payments = [
        {
            "currency": currency,
            "fees_minor": disclosure.shown(b["payees"], b["fees"]),
            "expenses_minor": disclosure.shown(b["claimants"], b["expenses"]),
        }
        for currency, b in sorted(currencies.items())
    ]
    return participation, payments


def figures(session: Session, year: int, now: datetime, foreword: str = "") -> dict[str, Any]:
    """Everything the report shows for `year`, as of `now` (see the module's docstring)."""
    start, end = year_bounds(year)
    positions, responses, ministries = _positions(session, start, end, now)
    participation, payments = _participation(session, start, end)
    return {
        "version": SNAPSHOT_VERSION,
        "year": year,
        "as_of": now.isoformat(),
        "foreword": foreword,
        "consultations": _consultations(session, start, end),
        "positions": positions,
        "responses": responses,
        "ministries": ministries,
        "participation": participation,
        "payments": payments,
        # To connect when meetings are recorded on the platform (issue 18, meetings part).
        "meetings": None,
    }


# --- the reports themselves --------------------------------------------------------------------


def published_reports(session: Session) -> list[AnnualReport]:
    """Published reports, newest year first (for the public list, the home page and the feed)."""
    return list(
        session.execute(
            select(AnnualReport)
            .where(AnnualReport.status == ReportStatus.PUBLISHED.value)
            .order_by(col(AnnualReport.year).desc())
        ).scalars()
    )


def all_reports(session: Session) -> list[AnnualReport]:
    return list(
        session.execute(select(AnnualReport).order_by(col(AnnualReport.year).desc())).scalars()
    )


def report_for(session: Session, year: int) -> AnnualReport | None:
    return session.execute(
        select(AnnualReport).where(AnnualReport.year == year)
    ).scalar_one_or_none()


def access_report(
    session: Session, user: User | None, year: int, now: datetime
) -> tuple[dict[str, Any], AnnualReport | None]:
    """The data to show for `year` and its report row: the frozen snapshot when published;
    otherwise, for the secretariat only, a live preview. Anyone else: NotFound."""
    if not valid_year(year):
        raise NotFound
    report = report_for(session, year)
    if report is not None and report.is_published and report.snapshot is not None:
        return report.snapshot, report
    if user is None or not permissions.is_secretariat(user):
        raise NotFound
    return figures(session, year, now, report.foreword if report else ""), report
