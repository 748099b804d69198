"""Drafts: officials write, publish and version them; the secretariat reads; nobody else."""

from __future__ import annotations

import re

from sqlalchemy import select

from council.models import DraftVersion
from tests.conftest import post


def editor_data(title, summary, sections):
    data = {"title": title, "summary": summary, "section_count": str(len(sections))}
    for i, (heading, body, warning) in enumerate(sections):
        data.update(
            {
                f"heading_{i}": heading,
                f"body_{i}": body,
                f"warning_{i}": warning,
                f"key_{i}": "",
                f"position_{i}": str(i + 1),
            }
        )
    return data


def test_draft_lifecycle_and_what_changed(signed_in, db):
    client = signed_in("official")
    response = post(
        client,
        "/drafts/new",
        editor_data(
            "Referral",
            "Plain words.",
            [("Purpose", "Within 48 hours.", ""), ("Cases", "Hard text.", "violence")],
        ),
        page="/drafts/new",
    )
    assert response.status_code == 303, response.text
    draft_url = response.headers["location"]
    page = client.get(draft_url).text
    assert "Within 48 hours." in page
    assert 'Content warning: <span lang="en">violence</span>' in page
    assert post(client, f"{draft_url}/publish", page=draft_url).status_code == 303
    # A published version cannot change.
    assert client.get(f"{draft_url}/edit").status_code == 303
    assert post(client, f"{draft_url}/new-version", page=draft_url).status_code == 303
    edit = client.get(f"{draft_url}/edit").text
    assert 'value="Purpose"' in edit
    data = editor_data(
        "Referral",
        "Plain words.",
        [("Purpose", "Within 24 hours.", ""), ("Cases", "Hard text.", "violence")],
    )
    for i in range(2):
        data[f"key_{i}"] = re.search(rf'name="key_{i}" value="([^"]*)"', edit).group(1)
    assert post(client, f"{draft_url}/edit", data, page=f"{draft_url}/edit").status_code == 303
    assert post(client, f"{draft_url}/publish", page=draft_url).status_code == 303
    compare = client.get(f"{draft_url}/compare?from=1&to=2").text
    assert "<del>" in compare and "48" in compare and "<ins>" in compare and "24" in compare
    # Version 1 stays readable as it was.
    assert "Within 48 hours." in client.get(f"{draft_url}/v/1").text
    with db.read() as session:
        assert len(session.execute(select(DraftVersion)).all()) == 2


def test_summary_is_required(signed_in):
    client = signed_in("official")
    response = post(
        client,
        "/drafts/new",
        editor_data("Referral", " ", [("Purpose", "Text", "")]),
        page="/drafts/new",
    )
    assert response.status_code == 400
    assert "plain-language summary" in response.text
    assert 'value="Referral"' in response.text  # what was typed is kept


def test_only_officials_write_drafts(signed_in):
    for role in ("member", "secretariat"):
        client = signed_in(role)
        assert client.get("/drafts/new").status_code == 403
        response = post(client, "/drafts/new", editor_data("X", "Y", [("A", "B", "")]))
        assert response.status_code == 403


def test_section_markdown_is_sanitised_on_the_page(signed_in):
    client = signed_in("official")
    response = post(
        client,
        "/drafts/new",
        editor_data("T", "S", [("A", "<script>alert(1)</script> **ok**", "")]),
        page="/drafts/new",
    )
    page = client.get(response.headers["location"]).text
    assert "<script>alert(1)" not in page and "<strong>ok</strong>" in page
