"""The build step of council's wheel (every other setting is in pyproject.toml).

The repository keeps templates/, static/, alembic/ and alembic.ini at its top, where people look
for them; a wheel must carry them inside the package, so this build_py copies them to
council/templates, council/static, council/alembic and council/alembic.ini, where
council.resources finds them. It also compiles the .po catalogues to the .mo files the app
reads (council/i18n.py), with Babel, so Ukrainian and Russian work in any install without a
manual `make translations`. An editable install (`pip install -e .`) reads the source tree, so
there the catalogues are compiled in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("templates", "static", "alembic", "alembic.ini")
CATALOGUES = ROOT / "council" / "translations"


def compile_catalogues(target: Path) -> None:
    """Each council/translations/<locale>/LC_MESSAGES/<domain>.po to a .mo under target."""
    for po in sorted(CATALOGUES.glob("*/LC_MESSAGES/*.po")):
        relative = po.relative_to(CATALOGUES)
        with po.open("rb") as source:
            catalogue = read_po(source, locale=relative.parts[0])
        mo = (target / relative).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as out:
            write_mo(out, catalogue)


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            compile_catalogues(CATALOGUES)
            return
        package = Path(self.build_lib) / "council"
        for name in BUNDLED:
            source, target = ROOT / name, package / name
            if source.is_dir():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(
                    source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
                )
            else:
                shutil.copy2(source, target)
        compile_catalogues(package / "translations")


setup(cmdclass={"build_py": BuildPy})
