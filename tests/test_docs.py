"""docs/deploy.md documents every setting (a new setting without a line there fails here)."""

from __future__ import annotations

from pathlib import Path

from council.settings import Settings

DEPLOY = Path(__file__).resolve().parent.parent / "docs" / "deploy.md"


def test_every_setting_is_documented_in_deploy_md():
    text = DEPLOY.read_text()
    missing = [
        f"COUNCIL_{name.upper()}"
        for name in Settings.model_fields
        if f"`COUNCIL_{name.upper()}`" not in text
    ]
    assert missing == []
