"""A griffe extension: Sphinx roles in docstrings become links in the rendered API reference.

itsmcore's docstrings cross-reference with Sphinx roles (:class:`Scale`,
:func:`~itsmcore.data.load`, :mod:`itsmcore.data`), which mkdocstrings would print as raw
text. This extension rewrites each role, once the package is loaded, into an autorefs link to
the public name the reference pages render (``[`Scale`][itsmcore.priority.Scale]``). A name is
looked up the way Sphinx does: as written, then inside the object, its class, its module and
its packages. A role naming something the reference does not render (a private helper, the
standard library, pendulum) becomes plain code, so ``mkdocs build --strict`` never meets a
dangling link. Enabled in ``mkdocs.yml`` (``extensions:`` of the python handler).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):`([^`]+)`")

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
"""The reference pages: each ``::: itsmcore.<package>`` line there renders a module."""


def rendered_modules() -> set[str]:
    """The modules the reference pages render."""
    found: set[str] = set()
    for page in REFERENCE.glob("*.md"):
        found.update(re.findall(r"^::: (\S+)", page.read_text(encoding="utf-8"), re.MULTILINE))
    return found


def _walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)  # type: ignore[arg-type]


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles in every docstring of a loaded package into reference links."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **_: Any) -> None:
        self._collection = loader.modules_collection
        self._public = self._public_paths(pkg)
        for obj in _walk(pkg):
            if obj.docstring is not None:
                obj.docstring.value = ROLE.sub(
                    lambda m, o=obj: self._link(m, o), obj.docstring.value
                )

    # -- which names the reference renders ------------------------------------------------------

    def _public_paths(self, pkg: griffe.Module) -> dict[str, str]:
        """canonical path -> the public path rendered, for documented public objects."""
        public: dict[str, str] = {}
        rendered = rendered_modules()
        for module in _walk(pkg):
            if not isinstance(module, griffe.Module) or module.path not in rendered:
                continue
            public[module.path] = module.path
            for name in [str(n) for n in (module.exports or ())]:
                target = self._target(f"{module.path}.{name}")
                # a module named in __all__ is not rendered as a member of its package
                if target is not None and target.docstring is not None and not target.is_module:
                    self._add(public, target, f"{module.path}.{name}")
        return public

    def _add(self, public: dict[str, str], obj: griffe.Object, path: str) -> None:
        public.setdefault(obj.path, path)
        if isinstance(obj, griffe.Class):
            for name, member in obj.members.items():
                if name.startswith("_") or member.is_alias or member.docstring is None:
                    continue
                self._add(public, member, f"{path}.{name}")  # type: ignore[arg-type]

    def _target(self, path: str) -> griffe.Object | None:
        """The object at ``path``, following aliases (re-exports) to where it is defined."""
        for _ in range(20):
            try:
                found = self._collection.get_member(path)
            except (KeyError, ValueError, griffe.AliasResolutionError):
                return None
            if not found.is_alias:
                return found  # type: ignore[no-any-return]
            path = found.target_path
        return None

    # -- one role --------------------------------------------------------------------------------

    def _link(self, match: re.Match[str], obj: griffe.Object) -> str:
        text = match.group(1).strip()
        short = text.startswith("~")
        name = text.lstrip("~!.")
        shown = name.rsplit(".", 1)[-1] if short else name
        public = self._resolve(name.removesuffix("()"), obj)
        return f"[`{shown}`][{public}]" if public else f"`{shown}`"

    def _resolve(self, name: str, obj: griffe.Object) -> str | None:
        scopes: list[str] = [""]
        scope: griffe.Object | None = obj
        while scope is not None:
            scopes.append(scope.path + ".")
            scope = scope.parent  # type: ignore[assignment]
        for prefix in scopes:
            target = self._target(prefix + name)
            if target is not None and target.path in self._public:
                return self._public[target.path]
        return None
