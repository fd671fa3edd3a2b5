"""Every code example in README.md and docs/ runs, so the docs cannot rot.

* ```python blocks of a page run in order in one namespace (later blocks see earlier names);
  they show results with ``assert`` and ``print``.
* ```pycon blocks (``>>>`` prompts) run as doctests in the same namespace, so their printed
  output is checked.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FENCE = re.compile(r"^```(python|pycon)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks(page: Path) -> list[tuple[str, str, int]]:
    text = page.read_text(encoding="utf-8")
    return [
        (m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(text)
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_run(page: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    parser = doctest.DocTestParser()
    for kind, code, line in _blocks(page):
        where = f"{page.relative_to(ROOT)}:{line}"
        if kind == "python":
            exec(compile(code, where, "exec"), namespace)
        else:
            test = parser.get_doctest(code, namespace, where, str(page), line)
            result = runner.run(test, clear_globs=False)
            namespace.update(test.globs)  # doctest ran on a copy: share its names onwards
            assert result.failed == 0, f"doctest example failed in {where}"


def test_every_page_is_in_the_docs_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    missing = [p.name for p in (ROOT / "docs").glob("*.md") if p.name not in nav]
    assert missing == []
