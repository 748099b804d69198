"""The layout holds (docs/architecture.md): imports point only downwards, views neither query nor
write, modules stay small, and the top of council/ stays a short list."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "council"

# Bottom to top: a module may import its own layer and the ones below, never one above.
LAYERS: list[list[str]] = [
    ["council.settings", "council.resources", "council.i18n", "council.text", "council.models"],
    [
        "council.db",
        "council.mail",
        "council.ratelimit",
        "council.rules",
        "council.auth.crypto",
        "council.auth.passwords",
        "council.auth.anonymity",
        "council.auth.totp",
        "council.auth.recovery",
    ],
    ["council.queries"],
    ["council.auth.sessions", "council.auth.oidc"],
    ["council.actions"],
    ["council.web", "council.middleware"],
    ["council.views", "council.demo", "council.ops"],
    ["council.routes", "council.app", "council.cli", "council"],
]
MAX_LINES = 450
MAX_TOP_MODULES = 12
# What a view may call on a database session: nothing. It hands the session to queries and
# actions, which are the only code that reads or writes.
SESSION_METHODS = {"execute", "get", "add", "add_all", "delete", "flush", "commit", "scalar"}
SESSION_METHODS |= {"scalars", "merge", "exec", "refresh", "begin"}


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def layer_of(module: str) -> int:
    best, length = -1, -1
    for number, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > length:
                best, length = number, len(name)
    assert best >= 0, f"{module} is in no layer: add it to LAYERS (and docs/architecture.md)"
    return best


def imports(path: Path, module: str) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                parent = module.split(".")[: -node.level] if path.name != "__init__.py" else None
                base = ".".join([*(parent or module.split(".")), node.module])
            # `from council.auth import crypto` imports the module council.auth.crypto;
            # `from council.models import User` imports council.models.
            for alias in node.names:
                sub = PACKAGE.parent / Path(*f"{base}.{alias.name}".split("."))
                is_module = sub.with_suffix(".py").exists() or (sub / "__init__.py").exists()
                found.append(f"{base}.{alias.name}" if is_module else base)
    return [name for name in found if name == "council" or name.startswith("council.")]


def test_every_import_points_downwards() -> None:
    upward = []
    for module, path in modules():
        own = layer_of(module)
        for target in imports(path, module):
            if target == "council":
                continue
            if layer_of(target) > own:
                upward.append(f"{module} imports {target}")
    assert upward == []


def test_the_top_of_the_package_is_short() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top


@pytest.mark.parametrize("module,path", modules(), ids=[m for m, _ in modules()])
def test_no_module_is_over_the_limit(module: str, path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MAX_LINES


def _view_offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            names = {alias.name for alias in node.names}
            if root == "sqlalchemy" or (root == "sqlmodel" and names - {"Session"}):
                found.append(f"line {node.lineno}: imports {node.module}")
            if node.module in ("council.actions.audit", "council.mail", "council.ratelimit"):
                found.append(f"line {node.lineno}: imports {node.module}")
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("sqlalchemy", "sqlmodel"):
                    found.append(f"line {node.lineno}: imports {alias.name}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SESSION_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("session", "s")
        ):
            found.append(f"line {node.lineno}: session.{node.func.attr}()")
        if isinstance(node, ast.Attribute) and node.attr in ("forget_overwritten", "engine"):
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "views").glob("*.py")), ids=lambda p: p.name)
def test_views_neither_query_nor_write(path: Path) -> None:
    assert _view_offences(path) == []


def test_the_view_check_sees_a_query_and_a_write(tmp_path: Path) -> None:
    """The check above is not blind: a view that selects, or adds a row, is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from sqlmodel import select\n"
        "def page(request):\n"
        "    with db(request).read() as session:\n"
        "        session.execute(select(User))\n"
        "    with db(request).write() as session:\n"
        "        session.add(thing)\n"
    )
    assert len(_view_offences(bad)) == 3
