"""`make audit`: Lighthouse (mobile profile, Debian's Chromium) on the pages members rely on.

Starts the demo site on a free port, signs a demo member in for the pages behind sign-in, runs
Lighthouse 12 on each page and prints the four category scores. Exits 1 when a page misses the
targets: performance >= 95, accessibility 100, best practices 100.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from council.demo import DEMO_PASSPHRASE
from tests.servers import running_server

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
# (label, path, who must be signed in: None for the public). "{first}" in a path stands for the
# id in the first link of that kind on the listing page before it ("/positions" for a position).
PAGES = [
    ("public home", "/", None),
    ("help", "/help", None),
    ("position (public)", "/positions/{first}", None),
    ("member home", "/home", "member2"),
    ("consultation (member)", "/consultations/{first}", "member2"),
]


def member_cookie(base: str, name: str) -> str:
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        page = client.get("/signin")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the sign-in page"
        response = client.post(
            "/signin",
            data={"name": name, "passphrase": DEMO_PASSPHRASE, "csrf_token": token.group(1)},
        )
        assert response.status_code == 303, response.text
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def resolve(base: str, path: str, cookie: str | None) -> str:
    """A path with "{first}" made concrete from the listing page, as the person sees it."""
    if "{first}" not in path:
        return path
    listing = path.partition("/{first}")[0]
    headers = {"Cookie": cookie} if cookie else {}
    html = httpx.get(base + listing, headers=headers).text
    found = re.search(re.escape(listing) + r"/(\d+)\"", html)
    assert found, f"no link to {path} on {listing}"
    return path.replace("{first}", found.group(1))


def run_lighthouse(url: str, cookie: str | None, output: Path) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(output.read_text())
    return {key: round(100 * (report["categories"][key]["score"] or 0)) for key in CATEGORIES}


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `make audit`, which installs it.", file=sys.stderr)
        return 2
    failures = 0
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder)) as base:
        print(f"{'page':<22}" + "".join(f"{c:>16}" for c in CATEGORIES))
        for label, path, who in PAGES:
            cookie = member_cookie(base, who) if who else None
            url = base + resolve(base, path, cookie)
            scores = run_lighthouse(url, cookie, Path(folder) / "report.json")
            missed = [c for c, target in TARGETS.items() if scores[c] < target]
            failures += bool(missed)
            line = f"{label:<22}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES)
            print(line + (f"   below target: {', '.join(missed)}" if missed else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
