"""A real OpenID Connect provider (npm oidc-provider, tests/oidc/provider.mjs) for the tests.

`npm ci --prefix tests/oidc` (run by `make test` and .ci/run) installs it. Without node, or without
the install, the tests that need it are skipped with the reason, except in CI, where they fail.
Each provider runs on a free 127.0.0.1 port; only processes started here are stopped here.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from tests.servers import free_port

HERE = Path(__file__).resolve().parent
CLIENT_ID = "council"
CLIENT_SECRET = "council-test-secret"


def require_node() -> str:
    node = shutil.which("node")
    installed = (HERE / "node_modules" / "oidc-provider" / "package.json").exists()
    if node and installed:
        return node
    reason = (
        "node is not installed" if not node else "run `npm ci --prefix tests/oidc` (make test does)"
    )
    if os.environ.get("CI"):
        pytest.fail(f"OpenID Connect provider unavailable in CI: {reason}")
    pytest.skip(f"OpenID Connect provider tests skipped: {reason}")


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen[bytes]


@contextmanager
def running_provider(folder: Path, redirect_uris: list[str], **env: str) -> Iterator[Provider]:
    node = require_node()
    port = free_port()
    log_path = folder / f"oidc-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [node, str(HERE / "provider.mjs")],
        env={
            **os.environ,
            "OIDC_PORT": str(port),
            "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            **env,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=HERE,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                discovery = f"{issuer}/.well-known/openid-configuration"
                if httpx.get(discovery, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(log_path.read_text())
            time.sleep(0.1)
        yield Provider(issuer=issuer, process=process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def log_in_at_provider(
    authorize_url: str,
    sub: str,
    back_to: str,
    *,
    tamper: Callable[[str], str] | None = None,
) -> str:
    """Be the person at the provider: open the authorization URL, log in as `sub`, consent.

    Returns the callback URL (on `back_to`) the provider redirects to. `tamper` may rewrite the
    authorization URL first, as an attacker between the two sites could.
    """
    url = tamper(authorize_url) if tamper else authorize_url
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        response = browser.get(url)
        for _ in range(12):
            if response.is_redirect:
                location = urljoin(str(response.url), response.headers["location"])
                if location.startswith(back_to):
                    return location
                response = browser.get(location)
                continue
            assert response.status_code == 200, response.text
            found = FORM.search(response.text)
            assert found, response.text
            action, body = html.unescape(found.group(1)), found.group(2)
            data = {name: html.unescape(value) for name, value in HIDDEN.findall(body)}
            if 'name="login"' in body:
                data.update(login=sub, password="any password")
            response = browser.post(urljoin(str(response.url), action), data=data)
    raise AssertionError("the provider never sent the browser back")
