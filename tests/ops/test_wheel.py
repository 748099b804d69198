# ruff: noqa: RUF001  (Ukrainian text on purpose: Cyrillic letters look like Latin ones)
"""The real distribution: build the wheel, install it (not editable) into a new virtual
environment, then migrate, serve (which first runs the checks of `council check`) and answer a
page in Ukrainian from a folder that has nothing of the repository in it. Before setup.py's
build step, migrate could not find alembic/env.py, serve could not find static/, and Ukrainian
fell back to English (no .mo in the wheel)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.servers import Server, free_port, stop_server, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
# What a build needs from the repository (tests, tools and bench stay out of the package).
SOURCES = [
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "babel.cfg",
    "alembic.ini",
    "council",
    "templates",
    "static",
    "alembic",
]

pytestmark = pytest.mark.slow


def copy_sources(target: Path) -> None:
    """The tracked and new (not ignored) files only: no .mo or build/ left over from a checkout,
    so the wheel shows what a clean build makes."""
    names = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", *SOURCES],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, names):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            destination = target / os.fsdecode(name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(source.read_bytes())


def build_wheel(tmp_path: Path) -> Path:
    source, dist = tmp_path / "source", tmp_path / "dist"
    copy_sources(source)
    # What `pip wheel .` runs, without pip's start-up or build isolation: the dev extras hold
    # setuptools and Babel, so no network is needed.
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from setuptools import build_meta; build_meta.build_wheel({str(dist)!r})",
        ],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("council-*.whl")
    return wheel


def new_venv(folder: Path) -> Path:
    """A fresh environment that sees this one's packages (the dependencies) through a .pth
    line, but not its editable council: a plain path line does not run that path's .pth files."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_the_wheel_installs_migrates_and_serves_ukrainian_from_any_folder(tmp_path):
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    for inside in (
        "council/templates/base.html",
        "council/static/css/council.css",
        "council/alembic/env.py",
        "council/alembic.ini",
        "council/translations/uk/LC_MESSAGES/messages.mo",
        "council/translations/ru/LC_MESSAGES/messages.mo",
    ):
        assert inside in names

    python = new_venv(tmp_path / "venv")
    install = ["install", "--quiet", "--no-deps", "--no-index", "--no-compile", str(wheel)]
    subprocess.run(
        [python, "-m", "pip", *install],
        check=True,
        capture_output=True,
    )
    council = tmp_path / "venv" / "bin" / "council"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUNCIL_", "PYTHON"))}
    env |= {
        "COUNCIL_DATABASE_URL": "sqlite:///./council.db",  # relative: in `elsewhere`
        "COUNCIL_BASE_URL": f"http://127.0.0.1:{port}",
    }
    where = subprocess.run(
        [python, "-c", "import council.resources as r; print(r.resource('templates'))"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "venv"), where

    migrated = subprocess.run(
        [council, "migrate"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr
    assert (elsewhere / "council.db").exists()

    log = elsewhere / "server.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [council, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=elsewhere,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(base=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        wait_until_ready(server)
        page = httpx.get(f"{server.base}/", headers={"Accept-Language": "uk"}, timeout=10)
        assert page.status_code == 200
        assert '<html lang="uk"' in page.text
        assert "Допомога і підтримка" in page.text  # "Help and support"
        css = httpx.get(f"{server.base}/static/css/council.css", timeout=10)
        assert css.status_code == 200
    finally:
        stop_server(server)
