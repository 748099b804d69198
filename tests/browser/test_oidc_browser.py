"""An official signs in with the ministry account in Chromium: the real server, the real provider."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.browser.conftest import (
    assert_accessible,
    assert_fits_phone,
    free_port,
    running_server,
    screenshot,
)
from tests.oidc.harness import CLIENT_ID, CLIENT_SECRET, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("oidc-live")
    port = free_port()
    callback = f"http://127.0.0.1:{port}/signin/oidc/callback"
    with running_provider(folder, [callback]) as provider:
        env = {
            "COUNCIL_OIDC_ISSUER": provider.issuer,
            "COUNCIL_OIDC_CLIENT_ID": CLIENT_ID,
            "COUNCIL_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "COUNCIL_OIDC_DISPLAY_NAME": "your ministry account",
        }
        with running_server(folder, port, env, demo=False) as base:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "council.cli",
                    "create-user",
                    "--name",
                    "olena-moi",
                    "--role",
                    "official",
                    "--ministry",
                    "Ministry of Interior",
                    "--oidc-sub",
                    "moi-olena",
                ],
                env={
                    **os.environ,
                    "COUNCIL_DATABASE_URL": f"sqlite:///{folder / 'council.db'}",
                    **env,
                },
                check=True,
                capture_output=True,
            )
            yield base


def test_official_signs_in_with_the_ministry_account(phone, oidc_server):
    phone.goto(oidc_server + "/signin")
    assert_accessible(phone)
    phone.click("text=Sign in with your ministry account")
    # The provider's development login form, on another origin.
    phone.wait_for_selector("input[name=login]")
    phone.fill("input[name=login]", "moi-olena")
    phone.fill("input[name=password]", "anything")
    phone.click("button[type=submit]")
    phone.wait_for_selector("button:has-text('Continue')")
    phone.click("button:has-text('Continue')")
    phone.wait_for_url(oidc_server + "/home")
    assert "olena-moi" in phone.inner_text("h1")
    assert_fits_phone(phone)
    assert_accessible(phone)
    screenshot(phone, "oidc-official-home-360")
    phone.click("footer button:has-text('Sign out')")
    phone.wait_for_url(oidc_server + "/")
    phone.goto(oidc_server + "/home")
    assert "/signin" in phone.url


def test_unknown_ministry_account_is_sent_to_the_secretariat(phone, oidc_server):
    phone.goto(oidc_server + "/signin")
    phone.click("text=Sign in with your ministry account")
    phone.wait_for_selector("input[name=login]")
    phone.fill("input[name=login]", "moi-stranger")
    phone.fill("input[name=password]", "anything")
    phone.click("button[type=submit]")
    phone.click("button:has-text('Continue')")
    phone.wait_for_url(oidc_server + "/signin/oidc/callback**")
    assert "Ask the secretariat to add you" in phone.inner_text("h1")
    assert "moi-stranger" in phone.inner_text("main")
    assert_accessible(phone)
    phone.goto(oidc_server + "/home")
    assert "/signin" in phone.url
