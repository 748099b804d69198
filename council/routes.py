"""Every URL of the site, top to bottom. Handlers live in council/views/, one module per area."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import BaseRoute, Mount, Route

from council.views import (
    account,
    auth,
    comments,
    consents,
    consultations,
    drafts,
    engagements,
    feed,
    ledger,
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

GET = ["GET"]
POST = ["POST"]
BOTH = ["GET", "POST"]


def routes() -> list[BaseRoute]:
    return [
        # Public
        Route("/", for_visitors(public.home), methods=GET, name="home"),
        Route("/help", public.help_page, methods=GET, name="help"),
        Route("/language", public.language, methods=GET, name="language"),
        Route("/healthz", public.healthz, methods=GET, name="healthz"),
        # Public accountability: positions, responses, the scorecard and the feed
        Route("/positions", for_visitors(positions.positions_list), methods=GET, name="positions"),
        Route("/scorecard", for_visitors(scorecard.scorecard_page), methods=GET, name="scorecard"),
        Route("/feed.atom", for_visitors(feed.feed), methods=GET, name="feed"),
        Route("/positions/new", positions.position_new, methods=BOTH, name="position_new"),
        Route(
            "/positions/{position_id:id}",
            for_visitors(positions.position_detail),
            methods=GET,
            name="position",
        ),
        Route(
            "/positions/{position_id:id}/edit",
            positions.position_edit,
            methods=BOTH,
            name="position_edit",
        ),
        Route(
            "/positions/{position_id:id}/comments",
            positions.position_comment,
            methods=POST,
            name="position_comment",
        ),
        Route(
            "/positions/{position_id:id}/comments/{comment_id}/withdraw",
            positions.position_comment_withdraw,
            methods=POST,
            name="position_comment_withdraw",
        ),
        Route(
            "/positions/{position_id:id}/vote",
            positions.position_vote,
            methods=POST,
            name="position_vote",
        ),
        Route(
            "/positions/{position_id:id}/adopt",
            positions.position_adopt,
            methods=POST,
            name="position_adopt",
        ),
        Route(
            "/positions/{position_id:id}/publish",
            positions.position_publish,
            methods=POST,
            name="position_publish",
        ),
        Route(
            "/positions/{position_id:id}/withdraw",
            positions.position_withdraw,
            methods=POST,
            name="position_withdraw",
        ),
        Route(
            "/positions/{position_id:id}/cite",
            positions.position_cite,
            methods=POST,
            name="position_cite",
        ),
        Route(
            "/positions/{position_id:id}/quote",
            positions.position_quote,
            methods=POST,
            name="position_quote",
        ),
        Route(
            "/positions/{position_id:id}/translations/{locale}",
            translations.position,
            methods=BOTH,
            name="position_translations",
        ),
        Route(
            "/positions/{position_id:id}/recommendations/{recommendation_id:id}/respond",
            responses.respond,
            methods=BOTH,
            name="respond",
        ),
        # Signing in and joining
        Route("/signin", auth.signin, methods=BOTH, name="signin"),
        Route("/signin/code", auth.signin_code, methods=BOTH, name="signin_code"),
        Route("/signin/oidc", oidc.start, methods=GET, name="oidc_start"),
        Route("/signin/oidc/callback", oidc.callback, methods=GET, name="oidc_callback"),
        Route("/signout", auth.signout, methods=POST, name="signout"),
        Route("/join/{token}", auth.join, methods=BOTH, name="join"),
        Route("/recover", auth.recover, methods=BOTH, name="recover"),
        # Everyone signed in
        Route("/home", public.dashboard, methods=GET, name="dashboard"),
        Route("/account", account.account, methods=GET, name="account"),
        Route("/account/passphrase", account.change_passphrase, methods=POST, name="passphrase"),
        Route(
            "/account/signout-everywhere",
            account.signout_everywhere,
            methods=POST,
            name="signout_everywhere",
        ),
        Route(
            "/account/recovery-codes", account.recovery_codes, methods=BOTH, name="recovery_codes"
        ),
        Route("/account/totp", account.totp_setup, methods=BOTH, name="totp_setup"),
        Route("/account/totp/qr.svg", account.totp_qr, methods=GET, name="totp_qr"),
        # Drafts (officials of the ministry; the secretariat reads)
        Route("/drafts", drafts.drafts_list, methods=GET, name="drafts"),
        Route("/drafts/new", drafts.draft_new, methods=BOTH, name="draft_new"),
        Route("/drafts/{draft_id:id}", drafts.draft_detail, methods=GET, name="draft"),
        Route("/drafts/{draft_id:id}/edit", drafts.draft_edit, methods=BOTH, name="draft_edit"),
        Route("/drafts/{draft_id:id}/publish", drafts.draft_publish, methods=POST, name="publish"),
        Route(
            "/drafts/{draft_id:id}/new-version",
            drafts.draft_new_version,
            methods=POST,
            name="draft_new_version",
        ),
        Route(
            "/drafts/{draft_id:id}/v/{number:id}",
            drafts.draft_version,
            methods=GET,
            name="draft_version",
        ),
        Route(
            "/drafts/{draft_id:id}/v/{number:id}/translations/{locale}",
            translations.draft_version,
            methods=BOTH,
            name="draft_translations",
        ),
        Route("/drafts/{draft_id:id}/compare", drafts.draft_compare, methods=GET, name="compare"),
        Route(
            "/drafts/{draft_id:id}/consultations",
            drafts.consultation_new,
            methods=POST,
            name="consultation_new",
        ),
        # Consultations: reading and commenting (members), preparing (staff), results
        Route(
            "/consultations", consultations.consultations_list, methods=GET, name="consultations"
        ),
        Route(
            "/consultations/{consultation_id:id}",
            consultations.consultation_detail,
            methods=GET,
            name="consultation",
        ),
        Route(
            "/consultations/{consultation_id:id}/on/{target}",
            comments.target_page,
            methods=BOTH,
            name="consultation_target",
        ),
        Route(
            "/comments/{comment_id}/edit",
            comments.comment_edit,
            methods=BOTH,
            name="comment_edit",
        ),
        Route(
            "/comments/{comment_id}/withdraw",
            comments.comment_withdraw,
            methods=POST,
            name="comment_withdraw",
        ),
        Route(
            "/consultations/{consultation_id:id}/settings",
            preparation.consultation_settings,
            methods=BOTH,
            name="consultation_settings",
        ),
        Route(
            "/consultations/{consultation_id:id}/questions",
            preparation.question_add,
            methods=POST,
            name="question_add",
        ),
        Route(
            "/consultations/{consultation_id:id}/questions/{question_id:id}/remove",
            preparation.question_remove,
            methods=POST,
            name="question_remove",
        ),
        Route(
            "/consultations/{consultation_id:id}/translations/{locale}",
            translations.consultation,
            methods=BOTH,
            name="consultation_translations",
        ),
        Route(
            "/consultations/{consultation_id:id}/status",
            preparation.consultation_status,
            methods=POST,
            name="consultation_status",
        ),
        Route(
            "/consultations/{consultation_id:id}/extend",
            preparation.consultation_extend,
            methods=POST,
            name="consultation_extend",
        ),
        Route(
            "/consultations/{consultation_id:id}/results",
            results.results,
            methods=GET,
            name="results",
        ),
        Route(
            "/consultations/{consultation_id:id}/results.csv",
            results.results_csv,
            methods=GET,
            name="results_csv",
        ),
        # Moderation (secretariat)
        Route("/moderation", moderation.queue, methods=GET, name="moderation"),
        Route(
            "/moderation/{comment_id}/{what}",
            moderation.moderate,
            methods=POST,
            name="moderate",
        ),
        # Secretariat
        Route("/secretariat/invites", secretariat.invites, methods=BOTH, name="invites"),
        Route(
            "/secretariat/invites/{invite_id:id}/revoke",
            secretariat.revoke_invite,
            methods=POST,
            name="revoke_invite",
        ),
        Route("/secretariat/people", secretariat.people, methods=BOTH, name="people"),
        Route(
            "/secretariat/people/{user_id:id}/oidc",
            secretariat.set_oidc_link,
            methods=POST,
            name="set_oidc_link",
        ),
        Route("/secretariat/audit", secretariat.audit_log, methods=GET, name="audit"),
        # Paid engagements (issue 4): members see only their own; officials only totals
        Route("/engagements", engagements.mine, methods=GET, name="my_engagements"),
        Route("/engagements/record", engagements.record, methods=BOTH, name="record"),
        Route("/engagements/totals", ledger.totals, methods=GET, name="payment_totals"),
        Route(
            "/engagements/{engagement_id:id}", engagements.detail, methods=GET, name="engagement"
        ),
        Route(
            "/engagements/{engagement_id:id}/receipt",
            engagements.receipt,
            methods=GET,
            name="receipt",
        ),
        Route(
            "/engagements/{engagement_id:id}/status",
            ledger.change_status,
            methods=POST,
            name="engagement_status",
        ),
        Route(
            "/engagements/{engagement_id:id}/withdraw",
            engagements.withdraw,
            methods=POST,
            name="withdraw_contribution",
        ),
        Route(
            "/engagements/{engagement_id:id}/expenses",
            ledger.add_expense,
            methods=POST,
            name="engagement_expense",
        ),
        Route("/account/payment", engagements.payment_profile, methods=BOTH, name="payment"),
        Route("/secretariat/ledger", ledger.ledger_page, methods=GET, name="ledger"),
        Route("/secretariat/ledger.csv", ledger.ledger_csv, methods=GET, name="ledger_csv"),
        Route("/secretariat/ledger/approve", ledger.bulk_approve, methods=POST, name="bulk"),
        Route(
            "/secretariat/ledger/new",
            ledger.new_engagement,
            methods=BOTH,
            name="new_engagement",
        ),
        Route("/secretariat/rates", ledger.rates, methods=BOTH, name="rates"),
        Route(
            "/secretariat/payment-methods",
            ledger.payment_methods,
            methods=POST,
            name="payment_methods",
        ),
        # Ethical-inclusion safeguards (issue 4)
        Route("/consents", consents.mine, methods=GET, name="consents"),
        Route("/consents/{topic}/give", consents.give, methods=POST, name="consent_give"),
        Route(
            "/consents/{topic}/withdraw", consents.withdraw, methods=POST, name="consent_withdraw"
        ),
        Route("/account/step-back", consents.step_back, methods=POST, name="step_back"),
        Route("/account/resume", consents.resume, methods=POST, name="resume"),
        Route("/conflicts", consents.conflicts, methods=BOTH, name="conflicts"),
        Route("/account/my-data", my_data.page, methods=GET, name="my_data"),
        Route("/account/my-data.json", my_data.download, methods=GET, name="my_data_json"),
        Route("/account/delete", my_data.delete, methods=BOTH, name="delete_account"),
        Route("/secretariat/consents", safeguards.texts, methods=BOTH, name="consent_texts"),
        Route("/secretariat/safeguards", safeguards.overview, methods=GET, name="safeguards"),
        Route("/secretariat/support", safeguards.support, methods=BOTH, name="support_contacts"),
        Route(
            "/secretariat/support/{contact_id:id}/delete",
            safeguards.delete_support,
            methods=POST,
            name="delete_support",
        ),
        Mount("/static", app=FingerprintedStaticFiles(directory=STATIC_DIR), name="static"),
    ]


FLOOR_HTML = "<!doctype html><html lang=en><title>Council</title><p>" + "x" * 2000 + "</p></html>"


def bench_routes() -> list[BaseRoute]:
    """The benchmark's floor: a fixed 2 KB page through the same server and middleware."""
    from starlette.responses import HTMLResponse

    def floor(request: object) -> HTMLResponse:
        return HTMLResponse(FLOOR_HTML)

    return [Route("/bench/floor", floor, methods=GET, name="bench_floor")]
