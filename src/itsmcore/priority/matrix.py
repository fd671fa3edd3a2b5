"""The impact x urgency -> priority matrix: construction checks, lookup and reverse query.

A matrix is checked once, when it is built: it must give a priority for every (impact, urgency)
pair, and by default it must be monotone, meaning a more severe impact or urgency never yields a
less severe priority. Each check's error names the offending pairs or cells.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import attrs

from itsmcore.errors import ConfigurationError, ValidationError, allowed_list
from itsmcore.priority._check import check_flag, describe, short
from itsmcore.priority.scale import Level, LevelKey, Scale

__all__ = ["Cell", "PriorityMatrix"]

_Pair = tuple[int, int]


def _check_level(_: object, attribute: attrs.Attribute[Level], value: Level) -> None:
    if not isinstance(value, Level):
        raise ValidationError(
            f"a cell's {attribute.name} must be a Level, got {type(value).__name__} {short(value)}"
        )


@attrs.frozen
class Cell:
    """One cell of a matrix: an impact level, an urgency level and the priority they give."""

    impact: Level = attrs.field(validator=_check_level)
    urgency: Level = attrs.field(validator=_check_level)
    priority: Level = attrs.field(validator=_check_level)


class _FrozenCells(Mapping[_Pair, int]):
    """An immutable, hashable ``{(impact value, urgency value): priority value}`` mapping."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[_Pair, int]) -> None:
        self._data = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: _Pair) -> int:
        return self._data[key]

    def __iter__(self) -> Iterator[_Pair]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return repr(self._data)


def _check_cells(cells: object) -> None:
    if not isinstance(cells, Mapping):
        raise ConfigurationError(
            f"cells must be a mapping {{(impact, urgency): priority}}, got "
            f"{type(cells).__name__} {short(cells)}"
        )


def _freeze(cells: Mapping[_Pair, int]) -> _FrozenCells:
    _check_cells(cells)
    return cells if isinstance(cells, _FrozenCells) else _FrozenCells(cells)


def _check_scales(**scales: object) -> None:
    for name, scale in scales.items():
        if not isinstance(scale, Scale):
            raise ConfigurationError(
                f"{name} must be a Scale, got {type(scale).__name__} {short(scale)}"
            )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe_pair(impact: Scale, urgency: Scale, pair: _Pair) -> str:
    return f"(impact {impact.describe(pair[0])}, urgency {urgency.describe(pair[1])})"


@attrs.frozen(kw_only=True)
class PriorityMatrix:
    """Maps every (impact, urgency) pair to a priority level.

    ``cells`` maps ``(impact value, urgency value)`` to a priority value; use
    :meth:`from_mapping` or :meth:`from_rows` to build one from labels. ``monotone=True`` (the
    default) rejects a matrix where a more severe impact or urgency gives a less severe
    priority; ``monotone=False`` is the explicit opt-out.

    >>> from itsmcore.priority import preset
    >>> preset("servicenow").lookup("high", 2)
    Level(value=2, label='High')
    """

    impact: Scale
    urgency: Scale
    priority: Scale
    cells: Mapping[_Pair, int] = attrs.field(converter=_freeze)
    monotone: bool = True
    _table: dict[_Pair, Level] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        _check_scales(impact=self.impact, urgency=self.urgency, priority=self.priority)
        check_flag(self.monotone, "monotone", error=ConfigurationError)
        self._check_keys()
        missing = [
            (i, u)
            for i in self.impact.values
            for u in self.urgency.values
            if (i, u) not in self.cells
        ]
        if missing:
            listed = ", ".join(_describe_pair(self.impact, self.urgency, p) for p in missing)
            raise ConfigurationError(
                f"priority matrix does not cover {len(missing)} (impact, urgency) "
                f"pair{'s' if len(missing) != 1 else ''}: {listed}; every impact level "
                f"{allowed_list(self.impact.values)} needs a priority for every urgency level "
                f"{allowed_list(self.urgency.values)}"
            )
        table = {pair: self.priority.resolve(p) for pair, p in self.cells.items()}
        object.__setattr__(self, "_table", table)
        if self.monotone:
            violations = self.monotonicity_violations()
            if violations:
                shown = "; ".join(
                    f"{_describe_cell(severe)} is less severe than {_describe_cell(milder)}"
                    for severe, milder in violations[:20]
                )
                more = f" (and {len(violations) - 20} more)" if len(violations) > 20 else ""
                raise ConfigurationError(
                    f"priority matrix is not monotone in {len(violations)} place"
                    f"{'s' if len(violations) != 1 else ''}: {shown}{more}; a more severe "
                    "impact or urgency must never give a less severe priority. Fix those "
                    "cells, or pass monotone=False to accept a non-monotone matrix"
                )

    def _check_keys(self) -> None:
        bad_keys = [
            key
            for key in self.cells
            if not (
                isinstance(key, tuple)
                and len(key) == 2
                and _is_int(key[0])
                and _is_int(key[1])
                and key[0] in self.impact.values
                and key[1] in self.urgency.values
            )
        ]
        if bad_keys:
            raise ConfigurationError(
                f"priority matrix has cells for unknown (impact, urgency) pairs "
                f"{allowed_list(bad_keys)}; keys are (impact value, urgency value) with impact "
                f"in {allowed_list(self.impact.values)} and urgency in "
                f"{allowed_list(self.urgency.values)}"
            )
        bad_values = sorted(
            {
                repr(v)
                for v in self.cells.values()
                if not _is_int(v) or v not in self.priority.values
            }
        )
        if bad_values:
            raise ConfigurationError(
                f"priority matrix has unknown priority values {', '.join(bad_values)}; "
                f"allowed: {allowed_list(self.priority.values)}"
            )

    @classmethod
    def from_mapping(
        cls,
        cells: Mapping[tuple[LevelKey, LevelKey], LevelKey],
        *,
        impact: Scale,
        urgency: Scale,
        priority: Scale,
        monotone: bool = True,
    ) -> PriorityMatrix:
        """Build a matrix from ``{(impact, urgency): priority}``: values, labels or Levels."""
        _check_scales(impact=impact, urgency=urgency, priority=priority)
        check_flag(monotone, "monotone", error=ConfigurationError)
        _check_cells(cells)
        resolved: dict[_Pair, int] = {}
        for key, value in cells.items():
            if not isinstance(key, tuple) or len(key) != 2:
                raise ConfigurationError(
                    f"matrix key {describe(key)} is not an (impact, urgency) pair; "
                    "keys are 2-tuples such as (1, 2) or ('High', 'Medium')"
                )
            pair = (
                _resolve_config(impact, key[0], "cell key"),
                _resolve_config(urgency, key[1], "cell key"),
            )
            if pair in resolved:
                raise ConfigurationError(
                    f"matrix gives {_describe_pair(impact, urgency, pair)} twice "
                    "(a label and a value naming the same level); give each pair once"
                )
            resolved[pair] = _resolve_config(priority, value, f"cell {key!r}")
        return cls(
            impact=impact, urgency=urgency, priority=priority, cells=resolved, monotone=monotone
        )

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[Sequence[LevelKey]],
        *,
        impact: Scale,
        urgency: Scale,
        priority: Scale,
        monotone: bool = True,
    ) -> PriorityMatrix:
        """Build a matrix from rows: one row per impact level and one column per urgency level.

        Rows and columns follow ascending level values (the order of ``scale.levels``); each
        entry is a priority value or label. Short rows leave pairs uncovered, which is an error
        naming them.
        """
        _check_scales(impact=impact, urgency=urgency, priority=priority)
        if isinstance(rows, str | bytes) or not isinstance(rows, Sequence):
            raise ConfigurationError(
                f"rows must be a list of lists, got {type(rows).__name__} {short(rows)}"
            )
        if len(rows) != len(impact):
            raise ConfigurationError(
                f"matrix has {len(rows)} rows but the impact scale has {len(impact)} levels "
                f"{allowed_list(impact.values)}; give one row per impact level, in ascending "
                "value order"
            )
        cells: dict[tuple[LevelKey, LevelKey], LevelKey] = {}
        for imp, row in zip(impact.levels, rows, strict=True):
            if isinstance(row, str | bytes) or not isinstance(row, Sequence):
                raise ConfigurationError(
                    f"row for impact {impact.describe(imp)} must be a list, "
                    f"got {type(row).__name__}"
                )
            if len(row) > len(urgency):
                raise ConfigurationError(
                    f"row for impact {impact.describe(imp)} has {len(row)} entries but the "
                    f"urgency scale has {len(urgency)} levels {allowed_list(urgency.values)}"
                )
            for urg, value in zip(urgency.levels, row, strict=False):
                cells[(imp.value, urg.value)] = value
        return cls.from_mapping(
            cells, impact=impact, urgency=urgency, priority=priority, monotone=monotone
        )

    def lookup(self, impact: LevelKey, urgency: LevelKey) -> Level:
        """The priority for an impact and an urgency, each a value (int), label (str) or Level.

        Unknown levels or labels raise :class:`~itsmcore.errors.UnknownValueError` listing the
        valid ones.
        """
        if type(impact) is int and type(urgency) is int:
            found = self._table.get((impact, urgency))
            if found is not None:
                return found
        return self._table[(self.impact.resolve(impact).value, self.urgency.resolve(urgency).value)]

    def pairs_for(self, priority: LevelKey) -> tuple[tuple[Level, Level], ...]:
        """Every (impact, urgency) pair that gives ``priority``, rows first, ascending values.

        A priority level no cell gives (GLPI's "Major") yields an empty tuple.
        """
        wanted = self.priority.resolve(priority)
        return tuple(
            (cell.impact, cell.urgency) for cell in self.iter_cells() if cell.priority == wanted
        )

    def iter_cells(self) -> Iterator[Cell]:
        """Every cell, row by row (impact ascending), then urgency ascending."""
        for imp in self.impact.levels:
            for urg in self.urgency.levels:
                yield Cell(imp, urg, self._table[(imp.value, urg.value)])

    def rows(self) -> tuple[tuple[int, ...], ...]:
        """The priority values as rows, in the layout :meth:`from_rows` reads."""
        return tuple(
            tuple(self._table[(imp.value, urg.value)].value for urg in self.urgency.levels)
            for imp in self.impact.levels
        )

    def monotonicity_violations(self) -> tuple[tuple[Cell, Cell], ...]:
        """Neighbouring cells where the more severe one gives a less severe priority.

        Each item is ``(more severe inputs, less severe inputs)``; checking neighbours is
        enough because severity order is transitive. Empty for a monotone matrix.
        """
        rank = self.priority.rank
        imp_order = self.impact.by_severity()
        urg_order = self.urgency.by_severity()
        found: list[tuple[Cell, Cell]] = []
        for a, imp in enumerate(imp_order):
            for b, urg in enumerate(urg_order):
                here = Cell(imp, urg, self._table[(imp.value, urg.value)])
                neighbours = []
                if a + 1 < len(imp_order):
                    neighbours.append((imp_order[a + 1], urg))
                if b + 1 < len(urg_order):
                    neighbours.append((imp, urg_order[b + 1]))
                for n_imp, n_urg in neighbours:
                    there = Cell(n_imp, n_urg, self._table[(n_imp.value, n_urg.value)])
                    if rank(here.priority) > rank(there.priority):
                        found.append((here, there))
        return tuple(found)

    def is_monotone(self) -> bool:
        """True when no more severe impact or urgency gives a less severe priority."""
        return not self.monotonicity_violations()

    def render(self, *, values: bool = True) -> str:
        """The matrix as a plain-text table (see :func:`itsmcore.priority.render_matrix`)."""
        from itsmcore.priority.render import render_matrix

        check_flag(values, "values", error=ValidationError)
        return render_matrix(self, values=values)


def _describe_cell(cell: Cell) -> str:
    return (
        f"impact {cell.impact.value} {cell.impact.label!r} x urgency {cell.urgency.value} "
        f"{cell.urgency.label!r} -> priority {cell.priority.value} {cell.priority.label!r}"
    )


def _resolve_config(scale: Scale, key: object, where: str) -> int:
    """Resolve a level named in a definition; unknown names are configuration errors."""
    try:
        return scale.resolve(key).value  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
