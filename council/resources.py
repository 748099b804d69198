"""Where the files that are not Python are: templates, static files and the migrations.

The repository keeps them at its top (templates/, static/, alembic/, alembic.ini); a wheel
carries them inside the package (setup.py copies them to council/templates and so on). Every
reader asks here, so `council migrate` and `council serve` work from any folder, from a wheel or
from a checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SOURCE_TREE = PACKAGE.parent


def resource(name: str) -> Path:
    """The installed copy of `name` (e.g. "templates") if there is one, else the source tree's."""
    installed = PACKAGE / name
    if installed.exists():
        return installed
    return SOURCE_TREE / name
