"""Read-only mappings pickle and deep-copy as the dict they show, rebuilt read-only.

Domain values hold :class:`types.MappingProxyType` views (field values, event changes,
parameters) so nobody can change them after the fact; the standard library cannot pickle a
mapping proxy, so this registers how.
"""

from __future__ import annotations

import copyreg
from collections.abc import Mapping
from types import MappingProxyType

__all__: list[str] = []


def read_only(values: dict[str, object]) -> Mapping[str, object]:
    """A read-only view of ``values`` (what an unpickled mapping proxy becomes)."""
    return MappingProxyType(values)


def _reduce(proxy: MappingProxyType[str, object]) -> tuple[object, tuple[dict[str, object]]]:
    return (read_only, (dict(proxy),))


copyreg.pickle(MappingProxyType, _reduce)  # type: ignore[arg-type]
