"""Data as text and files: JSON and TOML, read with limits, so bad input is refused cleanly.

Text too deeply nested, too large, not UTF-8 or not valid JSON / TOML raises
:class:`~itsmcore.errors.DataError`; nothing is recursed into without a bound.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Literal

from itsmcore.data._read import MAX_DEPTH
from itsmcore.errors import DataError, ValidationError, allowed_list

__all__ = ["Format", "parse_text", "read_file", "to_json"]

Format = Literal["json", "toml"]

MAX_TEXT = 512 * 1024 * 1024
"""Largest text (in characters) read as data."""


def _depth_ok(text: str) -> bool:
    """Whether ``text`` nests brackets no deeper than :data:`MAX_DEPTH` (strings skipped)."""
    depth = 0
    in_string: str | None = None
    escaped = False
    for char in text:
        if in_string is not None:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == in_string:
                in_string = None
        elif char in "\"'":
            in_string = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif char in "]}":
            depth -= 1
    return True


def parse_text(text: object, fmt: Format, *, path: str = "$") -> object:
    """The plain data in ``text`` (JSON or TOML)."""
    if fmt not in ("json", "toml"):
        raise ValidationError(f"unknown format {fmt!r}; allowed: {allowed_list(('json', 'toml'))}")
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            raise DataError(f"the data is not UTF-8 text ({error.reason})", path=path) from None
    if not isinstance(text, str):
        raise ValidationError(f"expected {fmt.upper()} text, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise DataError(f"the text is longer than {MAX_TEXT} characters", path=path)
    if not _depth_ok(text):
        raise DataError(f"the data nests deeper than {MAX_DEPTH} levels", path=path)
    try:
        if fmt == "json":
            return json.loads(text)
        return tomllib.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})", path=path
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(f"not valid TOML: {error}", path=path) from None
    except RecursionError:
        raise DataError(f"the data nests deeper than {MAX_DEPTH} levels", path=path) from None


def read_file(path: str | os.PathLike[str]) -> object:
    """The plain data in a ``.json`` or ``.toml`` file."""
    if not isinstance(path, str | os.PathLike):
        raise ValidationError(f"expected a file path, got {type(path).__name__} {path!r}")
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise ValidationError(
            f"cannot tell the format of {str(file)!r} from its suffix; allowed: '.json', '.toml'"
        )
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"no file {str(file)!r}") from None
    except OSError as error:
        raise ValidationError(f"cannot read {str(file)!r}: {error.strerror}") from None
    fmt: Format = "json" if suffix == ".json" else "toml"
    return parse_text(raw, fmt, path=f"{file.name}:$")


def to_json(data: object, *, indent: int | None = None) -> str:
    """JSON text of plain data (keys kept in their order)."""
    return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
