"""Ordered scales of labelled levels (impact, urgency, priority) and their severity direction.

Products disagree on which end is the most severe: ServiceNow and iTop count 1 as the most
severe level, GLPI counts 5 ("Very high") as the most severe. A :class:`Scale` records its
direction once, so every comparison asks the scale instead of comparing raw numbers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from typing import cast

import attrs

from itsmcore.errors import ConfigurationError, UnknownValueError, ValidationError, allowed_list
from itsmcore.priority._check import MAX_TEXT, check_text, collect, describe, short

__all__ = ["Level", "LevelKey", "MostSevere", "Scale"]

MAX_LEVELS = 100
"""Most levels a scale may have (products use 3 to 6)."""


class MostSevere(enum.Enum):
    """Which end of a scale is the most severe: the lowest level value or the highest."""

    LOWEST = "lowest"
    """Level 1 is the most severe (ServiceNow, iTop)."""
    HIGHEST = "highest"
    """The highest level is the most severe (GLPI: 5 = "Very high")."""


def _check_value(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"a level value must be an int, got {describe(value)}")


def _check_label(_: object, __: attrs.Attribute[str], label: str) -> None:
    if not isinstance(label, str) or not label.strip() or label != label.strip():
        raise ValidationError(
            "a level label must be a non-empty string without surrounding spaces, "
            f"got {describe(label)}"
        )
    if len(label) > MAX_TEXT:
        raise ValidationError(
            f"a level label is at most {MAX_TEXT} characters, got {len(label)}: {short(label)}"
        )
    if any(not ch.isprintable() or ch == "|" for ch in label):
        raise ValidationError(
            f"a level label must be printable single-line text without '|', got {label!r}"
        )


@attrs.frozen
class Level:
    """One level of a scale: its number (as the products store it) and its display label."""

    value: int = attrs.field(validator=_check_value)
    label: str = attrs.field(validator=_check_label)

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


LevelKey = int | str | Level
"""What callers may pass to name a level: its value (int), its label (str) or the Level."""


def _to_levels(levels: Iterable[Level]) -> tuple[Level, ...]:
    items = collect(levels, "scale levels", limit=MAX_LEVELS, error=ConfigurationError, of="Levels")
    checked = [level for level in items if isinstance(level, Level)]
    if len(checked) != len(items):
        bad = [level for level in items if not isinstance(level, Level)]
        raise ConfigurationError(
            f"scale levels must be Level values, got {allowed_list(bad, limit=5)}"
        )
    return tuple(sorted(checked, key=lambda level: level.value))


def _check_levels(
    scale: Scale, _: attrs.Attribute[tuple[Level, ...]], levels: tuple[Level, ...]
) -> None:
    if not levels:
        raise ConfigurationError(f"scale {scale.name!r} needs at least one level, got none")
    values = [level.value for level in levels]
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ConfigurationError(
            f"scale {scale.name!r} repeats level values {allowed_list(repeated)}; "
            "each value may appear once"
        )
    folded = [level.label.casefold() for level in levels]
    clashing = sorted({lv.label for lv in levels if folded.count(lv.label.casefold()) > 1})
    if clashing:
        raise ConfigurationError(
            f"scale {scale.name!r} repeats labels {allowed_list(clashing)} (labels are "
            "case-insensitive); each label may appear once"
        )


def _check_name(_: object, __: attrs.Attribute[str], name: str) -> None:
    check_text(name, "a scale name", error=ConfigurationError)


def _check_direction(_: object, __: attrs.Attribute[MostSevere], value: MostSevere) -> None:
    if not isinstance(value, MostSevere):
        raise ConfigurationError(
            f"most_severe must be a MostSevere, got {describe(value)}; "
            f"allowed: {allowed_list(m.value for m in MostSevere)}"
        )


@attrs.frozen(kw_only=True)
class Scale:
    """An ordered scale of levels (kept sorted by value) and which end is the most severe.

    >>> impact = Scale.from_mapping({1: "High", 2: "Medium", 3: "Low"}, name="impact")
    >>> impact.resolve("medium")
    Level(value=2, label='Medium')
    >>> impact.more_severe(1, 3)
    True
    """

    name: str = attrs.field(validator=_check_name)
    levels: tuple[Level, ...] = attrs.field(converter=_to_levels, validator=_check_levels)
    most_severe: MostSevere = attrs.field(default=MostSevere.LOWEST, validator=_check_direction)
    _by_value: dict[int, Level] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _by_label: dict[str, Level] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _rank: dict[int, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_value", {lv.value: lv for lv in self.levels})
        object.__setattr__(self, "_by_label", {lv.label.casefold(): lv for lv in self.levels})
        ordered = self.by_severity()
        object.__setattr__(self, "_rank", {lv.value: i for i, lv in enumerate(ordered)})

    @classmethod
    def from_mapping(
        cls,
        levels: Mapping[int, str],
        *,
        name: str,
        most_severe: MostSevere = MostSevere.LOWEST,
    ) -> Scale:
        """Build a scale from ``{value: label}``."""
        if not isinstance(levels, Mapping):
            raise ConfigurationError(
                f"levels must be a mapping {{value: label}}, got {type(levels).__name__} "
                f"{short(levels)}"
            )
        if len(levels) > MAX_LEVELS:
            raise ConfigurationError(
                f"scale {name!r} has {len(levels)} levels; at most {MAX_LEVELS} are allowed"
            )
        return cls(
            name=name,
            levels=[Level(value, label) for value, label in levels.items()],
            most_severe=most_severe,
        )

    @classmethod
    def from_labels(
        cls,
        labels: Iterable[str],
        *,
        name: str,
        most_severe: MostSevere = MostSevere.LOWEST,
        start: int = 1,
    ) -> Scale:
        """Build a scale numbering ``labels`` from ``start`` upwards, in the order given."""
        if isinstance(start, bool) or not isinstance(start, int):
            raise ConfigurationError(
                f"start must be a whole number, got {type(start).__name__} {short(start)}"
            )
        items = collect(labels, "labels", limit=MAX_LEVELS, error=ConfigurationError, of="labels")
        return cls(
            name=name,
            levels=[Level(start + i, cast(str, label)) for i, label in enumerate(items)],
            most_severe=most_severe,
        )

    def __iter__(self) -> Iterator[Level]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    def __contains__(self, key: object) -> bool:
        try:
            self.resolve(key)  # type: ignore[arg-type]
        except ValidationError:
            return False
        return True

    @property
    def values(self) -> tuple[int, ...]:
        """The level values, ascending."""
        return tuple(lv.value for lv in self.levels)

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels, in ascending value order."""
        return tuple(lv.label for lv in self.levels)

    def resolve(self, key: LevelKey) -> Level:
        """Return the level named by ``key``: a value (int), a label (str, any case) or a Level.

        Raises :class:`~itsmcore.errors.UnknownValueError` listing the valid values and labels.
        """
        found: Level | None = None
        if isinstance(key, Level):
            candidate = self._by_value.get(key.value)
            found = candidate if candidate == key else None
        elif isinstance(key, bool):
            found = None
        elif isinstance(key, int):
            found = self._by_value.get(key)
        elif isinstance(key, str):
            found = self._by_label.get(key.strip().casefold())
        else:
            raise UnknownValueError(
                f"{self.name} must be a level value (int), a label (str) or a Level, got "
                f"{describe(key)}; allowed values: {allowed_list(self.values)}; "
                f"labels: {allowed_list(self.labels)}"
            )
        if found is None:
            raise UnknownValueError(
                f"unknown {self.name} {short(key)}; allowed values: {allowed_list(self.values)}; "
                f"labels: {allowed_list(self.labels)}"
            )
        return found

    def rank(self, key: LevelKey) -> int:
        """Severity rank of a level: 0 for the most severe, ``len(scale) - 1`` for the least."""
        return self._rank[self.resolve(key).value]

    def by_severity(self) -> tuple[Level, ...]:
        """The levels from the most severe to the least severe."""
        if self.most_severe is MostSevere.LOWEST:
            return self.levels
        return self.levels[::-1]

    @property
    def most_severe_level(self) -> Level:
        """The most severe level of the scale."""
        return self.by_severity()[0]

    @property
    def least_severe_level(self) -> Level:
        """The least severe level of the scale."""
        return self.by_severity()[-1]

    def more_severe(self, a: LevelKey, b: LevelKey) -> bool:
        """True when level ``a`` is strictly more severe than level ``b``."""
        return self.rank(a) < self.rank(b)

    def at_least_as_severe(self, a: LevelKey, b: LevelKey) -> bool:
        """True when level ``a`` is as severe as level ``b`` or more."""
        return self.rank(a) <= self.rank(b)

    def most_severe_of(self, keys: Iterable[LevelKey]) -> Level:
        """The most severe of the given levels; an empty input is an error."""
        if keys is None or isinstance(keys, str | bytes | Level) or not isinstance(keys, Iterable):
            raise ValidationError(
                f"most_severe_of needs a list of {self.name} levels, got "
                f"{type(keys).__name__} {short(keys)}"
            )
        resolved = [self.resolve(key) for key in keys]
        if not resolved:
            raise ValidationError(f"most_severe_of needs at least one {self.name} level, got none")
        return min(resolved, key=lambda lv: self._rank[lv.value])

    def describe(self, key: LevelKey) -> str:
        """``"2 'Medium'"``: a level as error messages and renderings show it."""
        level = self.resolve(key)
        return f"{level.value} {level.label!r}"
