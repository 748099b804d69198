"""The documents stand alone and say what the code does: docs/deploy.md documents every setting,
nothing in the repository points outside it, every document a file names is there, and the
README's demo sign-ins are the demo loader's accounts."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sqlalchemy import select

from council import demo
from council.models import User
from council.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "docs" / "deploy.md"
README = ROOT / "README.md"
# Text that reaches outside the repository: a parent folder, or an absolute path on the machine
# the repository was written on.
OUTSIDE = re.compile(r"\.\./shared|\bshared/(DESIGN|STYLE|TESTING)\.md|/work/|/home/\w")
# A document named anywhere: docs/..., or a relative Markdown link.
DOC_PATH = re.compile(r"(?<![\w/.])(docs/[\w./-]+\.md)")
MD_LINK = re.compile(r"\]\(([^)#:\s]+)(#[^)]*)?\)")


def tracked_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / name for name in names if (ROOT / name).is_file()]


def text_of(path: Path) -> str | None:
    try:
        return path.read_text()
    except (UnicodeDecodeError, OSError):
        return None


def test_every_setting_is_documented_in_deploy_md():
    text = DEPLOY.read_text()
    missing = [
        f"COUNCIL_{name.upper()}"
        for name in Settings.model_fields
        if f"`COUNCIL_{name.upper()}`" not in text
    ]
    assert missing == []


def test_no_tracked_file_points_outside_the_repository():
    this_file = Path(__file__).resolve()
    offences = []
    for path in tracked_files():
        text = text_of(path)
        if text is None or path == this_file or path.suffix in (".po", ".pot"):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                offences.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert offences == []


def test_the_outside_check_sees_a_reference_outside():
    assert OUTSIDE.search("The product design is in `../shared/DESIGN.md`;")
    assert OUTSIDE.search("see /work/main/notes")
    assert not OUTSIDE.search("see docs/design.md")


def test_every_document_named_exists():
    missing = []
    for path in tracked_files():
        text = text_of(path)
        if text is None or path.suffix in (".po", ".pot"):
            continue
        named = set(DOC_PATH.findall(text))
        if path.suffix == ".md":
            for target, _anchor in MD_LINK.findall(text):
                if target.startswith(("http", "mailto")):
                    continue
                resolved = (path.parent / target).resolve()
                if not resolved.is_relative_to(ROOT):
                    missing.append(f"{path.relative_to(ROOT)} links outside: {target}")
                    continue
                named.add(str(resolved.relative_to(ROOT)))
        for name in named:
            if not (ROOT / name).exists():
                missing.append(f"{path.relative_to(ROOT)} names {name}")
    assert missing == []


def test_the_guides_and_design_are_linked_from_the_readme():
    text = README.read_text()
    for name in ("docs/design.md", "docs/guides/member.md", "docs/guides/secretariat.md"):
        assert f"({name})" in text
    assert "(docs/guides/official.md)" in text


def readme_demo_names() -> set[str]:
    section = README.read_text().split("## Demo sign-ins", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([\w-]+)` \|", section, flags=re.MULTILINE))


def test_readme_lists_exactly_the_demo_accounts(db, settings):
    demo.load(db, settings)
    with db.read() as session:
        loaded = set(session.execute(select(User.name)).scalars())
    assert readme_demo_names() == loaded
    # The sign-ins `make run` prints name every one of them too.
    assert {name for name in loaded if name not in demo.SIGN_INS} == set()


def test_make_run_takes_a_port():
    output = subprocess.run(
        ["make", "-n", "run", "PORT=8010"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "--port 8010" in output
    assert "http://127.0.0.1:8010" in output
