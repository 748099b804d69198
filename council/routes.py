"""Every URL of the site, top to bottom. Handlers live in council/views/, one module per area."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from council.rendering import STATIC_DIR
from council.views import account, auth, oidc, public, secretariat

GET = ["GET"]
POST = ["POST"]
BOTH = ["GET", "POST"]


def routes() -> list[BaseRoute]:
    return [
        # Public
        Route("/", public.home, methods=GET, name="home"),
        Route("/help", public.help_page, methods=GET, name="help"),
        Route("/language", public.language, methods=GET, name="language"),
        Route("/healthz", public.healthz, methods=GET, name="healthz"),
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
        # Secretariat
        Route("/secretariat/invites", secretariat.invites, methods=BOTH, name="invites"),
        Route(
            "/secretariat/invites/{invite_id:int}/revoke",
            secretariat.revoke_invite,
            methods=POST,
            name="revoke_invite",
        ),
        Route("/secretariat/people", secretariat.people, methods=BOTH, name="people"),
        Route(
            "/secretariat/people/{user_id:int}/oidc",
            secretariat.set_oidc_link,
            methods=POST,
            name="set_oidc_link",
        ),
        Route("/secretariat/audit", secretariat.audit_log, methods=GET, name="audit"),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
