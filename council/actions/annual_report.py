"""The annual report: the secretariat writes its foreword and publishes it, freezing the figures.

Publishing copies the year's figures (queries/annual_report.figures) and the foreword into the
report's snapshot; from then on the public page and the PDF read only the snapshot, and neither
the foreword nor the figures change (models/annual_report.py says why).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.i18n import gettext as _
from council.models import AnnualReport, ReportStatus, User, utcnow
from council.queries import annual_report as queries
from council.rules import permissions

MAX_FOREWORD = 20_000


def _check_year(year: int, now: datetime) -> None:
    if not queries.valid_year(year) or year > now.year:
        raise ActionError(_("Choose a year that has begun."), "year")


def save_foreword(
    session: Session, actor: User, year: int, foreword: str, now: datetime | None = None
) -> AnnualReport:
    """Write (or rewrite) the foreword of an unpublished report, creating the report."""
    if not permissions.is_secretariat(actor):
        raise Forbidden
    now = now or utcnow()
    _check_year(year, now)
    if len(foreword) > MAX_FOREWORD:
        raise ActionError(_("Keep the foreword under 20,000 characters."), "foreword")
    report = queries.report_for(session, year)
    if report is not None and report.is_published:
        raise ActionError(_("This report is published: it no longer changes."))
    if report is None:
        report = AnnualReport(year=year, created_at=now)
    report.foreword = foreword.strip()
    report.updated_at = now
    session.add(report)
    session.flush()
    record(session, actor, "annual_report.save", "annual_report", year)
    return report


def publish(session: Session, actor: User, year: int, now: datetime | None = None) -> AnnualReport:
    """Publish the report of a year that has ended, with its figures frozen as of `now`."""
    if not permissions.is_secretariat(actor):
        raise Forbidden
    now = now or utcnow()
    _check_year(year, now)
    if year >= now.year:
        raise ActionError(_("A year's report can be published once the year has ended."))
    report = queries.report_for(session, year)
    if report is not None and report.is_published:
        raise ActionError(_("This report is already published."))
    if report is None or not report.foreword:
        raise ActionError(_("Write the foreword first."), "foreword")
    report.snapshot = queries.figures(session, year, now, report.foreword)
    report.status = ReportStatus.PUBLISHED.value
    report.published_at = now
    report.published_by_id = actor.id
    report.updated_at = now
    session.add(report)
    record(session, actor, "annual_report.publish", "annual_report", year)
    return report
