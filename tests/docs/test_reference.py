"""The API reference covers every public package, and docstring roles render as links."""

from __future__ import annotations

import importlib.util
import pkgutil
import re
import sys
from pathlib import Path
from types import ModuleType

import griffe
import pytest

import itsmcore

ROOT = Path(__file__).resolve().parents[2]
NOT_IN_REFERENCE = {"itsmcore.cli"}  # the command documents itself: `itsmcore --help`
PACKAGES = sorted(
    {"itsmcore.errors"}
    | {
        name
        for _, name, is_pkg in pkgutil.iter_modules(itsmcore.__path__, "itsmcore.")
        if is_pkg and not name.split(".")[-1].startswith("_")
    }
    - NOT_IN_REFERENCE
)


def _extension() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sphinx_roles", ROOT / "docs/_ext/sphinx_roles.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sphinx_roles"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_package_has_a_reference_page_in_the_nav(package: str) -> None:
    page = ROOT / "docs" / "reference" / f"{package.removeprefix('itsmcore.')}.md"
    assert page.exists(), f"add {page.relative_to(ROOT)} with '::: {package}'"
    assert f"::: {package}\n" in page.read_text(encoding="utf-8")
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"reference/{page.name}" in nav


@pytest.fixture(scope="module")
def loaded() -> griffe.Module:
    roles = _extension()
    extensions = griffe.load_extensions(roles.SphinxRoles)
    package = griffe.load("itsmcore", search_paths=[str(ROOT / "src")], extensions=extensions)
    assert isinstance(package, griffe.Module)
    return package


def test_roles_become_links_to_the_public_names(loaded: griffe.Module) -> None:
    docstring = loaded["priority"].docstring
    assert docstring is not None
    assert "[`Scale`][itsmcore.priority.Scale]" in docstring.value
    assert "[`itsmcore.data`][itsmcore.data]" in docstring.value
    data_error = loaded["data._read"].docstring
    assert data_error is not None
    assert "[`DataError`][itsmcore.errors.DataError]" in data_error.value


def test_no_raw_role_is_left_in_any_docstring(loaded: griffe.Module) -> None:
    raw = re.compile(r":(class|func|meth|mod|data|attr|exc):`")
    stack: list[griffe.Object] = [loaded]
    left: list[str] = []
    while stack:
        obj = stack.pop()
        if obj.docstring is not None and raw.search(obj.docstring.value):
            left.append(obj.path)
        stack.extend(m for m in obj.members.values() if not m.is_alias)  # type: ignore[misc]
    assert left == []


def test_names_the_reference_does_not_render_become_plain_code() -> None:
    roles = _extension()
    assert roles.ROLE.sub("x", ":class:`pendulum.DateTime`") == "x"
    assert "itsmcore.priority" in roles.rendered_modules()
