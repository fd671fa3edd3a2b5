from __future__ import annotations

import inspect

import pytest

import itsmcore
from itsmcore import errors


def test_every_error_derives_from_itsm_error() -> None:
    classes = [
        obj for name, obj in inspect.getmembers(errors, inspect.isclass) if name in errors.__all__
    ]
    assert classes
    for cls in classes:
        assert issubclass(cls, itsmcore.ItsmError), cls


def test_tree_is_documented_in_the_module_docstring() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        if name[0].isupper():
            assert name in doc, name


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], "none"), (["a"], "'a'"), ([1, 2], "1, 2")],
)
def test_allowed_list(values: list[object], expected: str) -> None:
    assert errors.allowed_list(values) == expected


def test_allowed_list_truncates() -> None:
    assert errors.allowed_list(range(30), limit=3) == "0, 1, 2, ... (27 more)"
