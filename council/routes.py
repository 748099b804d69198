"""Every URL of the site, top to bottom. Handlers live in council/views/, one module per area."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import BaseRoute, Mount, Route

from council.views import (
    account,
    annual_report,
    auth,
    comments,
    consents,
    consultations,
    drafts,
    engagements,
    feed,
    ledger,
    meetings,
    moderation,
    my_data,
    oidc,
    positions,
    preparation,
    public,
    responses,
    results,
    safeguards,
    scorecard,
    secretariat,
    terms,
    translations,
)
from council.web.public_cache import for_visitors
from council.web.static import STATIC_DIR, FingerprintedStaticFiles


class IdConvertor(Convertor[int]):
    """A stored row's id: at most nine digits, so anything a column cannot hold (a 20-digit
    number, say) matches no route and is a plain 404, never an overflow in the database."""

    regex = "[0-9]{1,9}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())

Handler = Callable[..., Any]


def get(path: str, handler: Handler, name: str) -> Route:
    return Route(path, handler, methods=["GET"], name=name)


def post(path: str, handler: Handler, name: str) -> Route:
    return Route(path, handler, methods=["POST"], name=name)


def form(path: str, handler: Handler, name: str) -> Route:
    """A page with a form: GET shows it, POST sends it (and shows it again if it must be fixed)."""
    return Route(path, handler, methods=["GET", "POST"], name=name)


# One line per URL, so the map reads top to bottom (lines may run past 100 characters here).
# fmt: off
def routes() -> list[BaseRoute]:
    return [
        # Public
        get("/", for_visitors(public.home), "home"),
        get("/help", public.help_page, "help"),
        get("/language", public.language, "language"),
        get("/healthz", public.healthz, "healthz"),
        # Public accountability: positions, responses, the scorecard and the feed
        get("/positions", for_visitors(positions.positions_list), "positions"),
        get("/scorecard", for_visitors(scorecard.scorecard_page), "scorecard"),
        get("/feed.atom", for_visitors(feed.feed), "feed"),
        # The annual report (issue 18): public once published; the secretariat previews before
        get("/reports", for_visitors(annual_report.reports_list), "annual_reports"),
        get("/reports/{year:id}", for_visitors(annual_report.report_page), "annual_report"),
        get("/reports/{year:id}/print", for_visitors(annual_report.report_print), "annual_report_print"),
        get("/reports/{year:id}/pdf", for_visitors(annual_report.report_download), "annual_report_pdf"),
        form("/positions/new", positions.position_new, "position_new"),
        get("/positions/{position_id:id}", for_visitors(positions.position_detail), "position"),
        form("/positions/{position_id:id}/edit", positions.position_edit, "position_edit"),
        post("/positions/{position_id:id}/comments", positions.position_comment, "position_comment"),
        post("/positions/{position_id:id}/comments/{comment_id}/withdraw", positions.position_comment_withdraw, "position_comment_withdraw"),
        post("/positions/{position_id:id}/vote", positions.position_vote, "position_vote"),
        post("/positions/{position_id:id}/adopt", positions.position_adopt, "position_adopt"),
        post("/positions/{position_id:id}/publish", positions.position_publish, "position_publish"),
        post("/positions/{position_id:id}/withdraw", positions.position_withdraw, "position_withdraw"),
        post("/positions/{position_id:id}/cite", positions.position_cite, "position_cite"),
        post("/positions/{position_id:id}/quote", positions.position_quote, "position_quote"),
        form("/positions/{position_id:id}/translations/{locale}", translations.position, "position_translations"),
        form("/positions/{position_id:id}/recommendations/{recommendation_id:id}/respond", responses.respond, "respond"),
        # Signing in and joining
        form("/signin", auth.signin, "signin"),
        form("/signin/code", auth.signin_code, "signin_code"),
        get("/signin/oidc", oidc.start, "oidc_start"),
        get("/signin/oidc/callback", oidc.callback, "oidc_callback"),
        post("/signout", auth.signout, "signout"),
        form("/join/{token}", auth.join, "join"),
        form("/recover", auth.recover, "recover"),
        # Everyone signed in
        get("/home", public.dashboard, "dashboard"),
        get("/account", account.account, "account"),
        post("/account/passphrase", account.change_passphrase, "passphrase"),
        post("/account/signout-everywhere", account.signout_everywhere, "signout_everywhere"),
        form("/account/recovery-codes", account.recovery_codes, "recovery_codes"),
        form("/account/totp", account.totp_setup, "totp_setup"),
        get("/account/totp/qr.svg", account.totp_qr, "totp_qr"),
        # Drafts (officials of the ministry; the secretariat reads)
        get("/drafts", drafts.drafts_list, "drafts"),
        form("/drafts/new", drafts.draft_new, "draft_new"),
        get("/drafts/{draft_id:id}", drafts.draft_detail, "draft"),
        form("/drafts/{draft_id:id}/edit", drafts.draft_edit, "draft_edit"),
        post("/drafts/{draft_id:id}/publish", drafts.draft_publish, "publish"),
        post("/drafts/{draft_id:id}/new-version", drafts.draft_new_version, "draft_new_version"),
        get("/drafts/{draft_id:id}/v/{number:id}", drafts.draft_version, "draft_version"),
        form("/drafts/{draft_id:id}/v/{number:id}/translations/{locale}", translations.draft_version, "draft_translations"),
        get("/drafts/{draft_id:id}/compare", drafts.draft_compare, "compare"),
        post("/drafts/{draft_id:id}/consultations", drafts.consultation_new, "consultation_new"),
        # Consultations: reading and commenting (members), preparing (staff), results
        get("/consultations", consultations.consultations_list, "consultations"),
        get("/consultations/{consultation_id:id}", consultations.consultation_detail, "consultation"),
        form("/consultations/{consultation_id:id}/on/{target}", comments.target_page, "consultation_target"),
        form("/comments/{comment_id}/edit", comments.comment_edit, "comment_edit"),
        post("/comments/{comment_id}/withdraw", comments.comment_withdraw, "comment_withdraw"),
        form("/consultations/{consultation_id:id}/settings", preparation.consultation_settings, "consultation_settings"),
        post("/consultations/{consultation_id:id}/questions", preparation.question_add, "question_add"),
        post("/consultations/{consultation_id:id}/questions/{question_id:id}/remove", preparation.question_remove, "question_remove"),
        form("/consultations/{consultation_id:id}/translations/{locale}", translations.consultation, "consultation_translations"),
        post("/consultations/{consultation_id:id}/status", preparation.consultation_status, "consultation_status"),
        form("/consultations/{consultation_id:id}/close", preparation.consultation_close, "consultation_close"),
        post("/consultations/{consultation_id:id}/extend", preparation.consultation_extend, "consultation_extend"),
        get("/consultations/{consultation_id:id}/results", results.results, "results"),
        get("/consultations/{consultation_id:id}/results.csv", results.results_csv, "results_csv"),
        # Moderation (secretariat)
        get("/moderation", moderation.queue, "moderation"),
        post("/moderation/{comment_id}/{what}", moderation.moderate, "moderate"),
        # Secretariat
        form("/secretariat/invites", secretariat.invites, "invites"),
        post("/secretariat/invites/{invite_id:id}/revoke", secretariat.revoke_invite, "revoke_invite"),
        form("/secretariat/people", secretariat.people, "people"),
        post("/secretariat/people/{user_id:id}/oidc", secretariat.set_oidc_link, "set_oidc_link"),
        get("/secretariat/audit", secretariat.audit_log, "audit"),
        # Membership terms and composition (issue 18)
        form("/secretariat/terms", terms.terms_page, "terms"),
        form("/secretariat/terms/{user_id:id}/renew", terms.term_renew, "term_renew"),
        form("/secretariat/terms/{user_id:id}/end", terms.term_end, "term_end"),
        form("/account/about-me", terms.about_me, "about_me"),
        # Meetings (issue 18): members and the secretariat only
        get("/meetings", meetings.meetings_list, "meetings"),
        form("/meetings/new", meetings.meeting_new, "meeting_new"),
        get("/meetings/{meeting_id:id}", meetings.meeting_detail, "meeting"),
        get("/meetings/{meeting_id:id}/meeting.ics", meetings.meeting_calendar, "meeting_ics"),
        post("/meetings/{meeting_id:id}/reply", meetings.meeting_reply, "meeting_reply"),
        post("/meetings/{meeting_id:id}/agenda", meetings.agenda_add, "agenda_add"),
        form("/meetings/{meeting_id:id}/attendance", meetings.attendance, "attendance"),
        form("/meetings/{meeting_id:id}/minutes", meetings.minutes, "minutes"),
        form("/secretariat/reports", annual_report.manage, "annual_report_manage"),
        form("/secretariat/reports/{year:id}", annual_report.edit, "annual_report_edit"),
        form("/secretariat/reports/{year:id}/publish", annual_report.publish, "annual_report_publish"),
        # Paid engagements (issue 4): members see only their own; officials only totals
        get("/engagements", engagements.mine, "my_engagements"),
        form("/engagements/record", engagements.record, "record"),
        get("/engagements/totals", ledger.totals, "payment_totals"),
        get("/engagements/{engagement_id:id}", engagements.detail, "engagement"),
        get("/engagements/{engagement_id:id}/receipt", engagements.receipt, "receipt"),
        post("/engagements/{engagement_id:id}/status", ledger.change_status, "engagement_status"),
        post("/engagements/{engagement_id:id}/withdraw", engagements.withdraw, "withdraw_contribution"),
        post("/engagements/{engagement_id:id}/expenses", ledger.add_expense, "engagement_expense"),
        form("/account/payment", engagements.payment_profile, "payment"),
        get("/secretariat/ledger", ledger.ledger_page, "ledger"),
        get("/secretariat/ledger.csv", ledger.ledger_csv, "ledger_csv"),
        post("/secretariat/ledger/approve", ledger.bulk_approve, "bulk"),
        form("/secretariat/ledger/new", ledger.new_engagement, "new_engagement"),
        form("/secretariat/rates", ledger.rates, "rates"),
        post("/secretariat/payment-methods", ledger.payment_methods, "payment_methods"),
        # Ethical-inclusion safeguards (issue 4)
        get("/consents", consents.mine, "consents"),
        post("/consents/{topic}/give", consents.give, "consent_give"),
        form("/consents/{topic}/withdraw", consents.withdraw, "consent_withdraw"),
        post("/account/step-back", consents.step_back, "step_back"),
        post("/account/resume", consents.resume, "resume"),
        form("/conflicts", consents.conflicts, "conflicts"),
        get("/account/my-data", my_data.page, "my_data"),
        get("/account/my-data.json", my_data.download, "my_data_json"),
        get("/account/my-data.html", my_data.download_page, "my_data_html"),
        form("/account/delete", my_data.delete, "delete_account"),
        form("/secretariat/consents", safeguards.texts, "consent_texts"),
        form("/secretariat/consents/{text_id:id}/translations/{locale}", translations.consent_text, "consent_text_translations"),
        get("/secretariat/safeguards", safeguards.overview, "safeguards"),
        form("/secretariat/support", safeguards.support, "support_contacts"),
        post("/secretariat/support/{contact_id:id}/delete", safeguards.delete_support, "delete_support"),
        Mount("/static", app=FingerprintedStaticFiles(directory=STATIC_DIR), name="static"),
    ]
# fmt: on


FLOOR_HTML = "<!doctype html><html lang=en><title>Council</title><p>" + "x" * 2000 + "</p></html>"


def bench_routes() -> list[BaseRoute]:
    """The benchmark's floor: a fixed 2 KB page through the same server and middleware."""
    from starlette.responses import HTMLResponse

    def floor(request: object) -> HTMLResponse:
        return HTMLResponse(FLOOR_HTML)

    return [get("/bench/floor", floor, "bench_floor")]
