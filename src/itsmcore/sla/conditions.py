"""Structured conditions over a ticket's state, fields and events (never code strings).

An SLA definition says when its clock starts, pauses, resumes, stops, is cancelled or reset
with these values; the engine reads them after each event of the ticket's history:

- :class:`StateIn` - the ticket's state after the event is one of these;
- :class:`FieldIn` - a field's value after the event is one of these (``FieldIn.equals``);
- :class:`EventIs` - the event itself: its kind, transition, states left/entered, public;
- :class:`ActorIs` - the event's actor is the person named in a field (e.g. the caller);
- :class:`TicketTypeIn` - the ticket's type (its workflow's name);
- :class:`AllOf`, :class:`AnyOf`, :class:`Not` and the constants :data:`ALWAYS`, :data:`NEVER`.

Conditions combine with ``&``, ``|`` and ``~``:

>>> waiting = StateIn("on_hold") & ~FieldIn.equals("hold_reason", "awaiting_change")
>>> waiting.reads()
frozenset({'hold_reason'})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import ClassVar, TypeAlias

import attrs

from itsmcore.errors import ValidationError, allowed_list
from itsmcore.workflow import Event

__all__ = [
    "ALWAYS",
    "NEVER",
    "ActorIs",
    "AllOf",
    "AnyOf",
    "Condition",
    "EventIs",
    "FieldIn",
    "Not",
    "Predicate",
    "StateIn",
    "TicketTypeIn",
    "left_states",
]

Predicate: TypeAlias = Callable[[str, Mapping[str, object], Event, str | None], bool]
"""A compiled condition: ``(state, fields, event, ticket_type) -> bool``."""

MAX_DEPTH = 64
"""Deepest nesting of ``AllOf`` / ``AnyOf`` / ``Not`` accepted."""

EVENT_KINDS = ("created", "transition", "update", "note")
_SCALARS = (str, int, float, bool, type(None))


def _names(value: object, what: str) -> frozenset[str]:
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, Iterable):
        raise ValidationError(f"{what} must be a name or names, got {value!r}")
    out = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(f"{what} must be non-blank names, got {item!r}")
        out.append(item)
    if not out:
        raise ValidationError(f"{what} needs at least one name")
    return frozenset(out)


def _state_names(value: object) -> frozenset[str]:
    return _names(value, "StateIn states")


def _type_names(value: object) -> frozenset[str]:
    return _names(value, "TicketTypeIn types")


def _transitions(value: object) -> frozenset[str] | None:
    return None if value is None else _names(value, "EventIs transitions")


def _sources(value: object) -> frozenset[str] | None:
    return None if value is None else _names(value, "EventIs sources")


def _targets(value: object) -> frozenset[str] | None:
    return None if value is None else _names(value, "EventIs targets")


def _field_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"a field name must be non-blank text, got {value!r}")
    return value


def _values(value: object) -> tuple[object, ...]:
    items = value if isinstance(value, list | tuple | set | frozenset) else (value,)
    out: list[object] = []
    for item in items:
        if not isinstance(item, _SCALARS):
            raise ValidationError(
                f"field value {item!r} is not a plain value; allowed: text, numbers, "
                "true/false or None"
            )
        if (type(item), item) not in {(type(v), v) for v in out}:
            out.append(item)
    if not out:
        raise ValidationError("FieldIn needs at least one value")
    return tuple(out)


class _Base:
    """What every condition offers: combining, and the fields it reads."""

    __slots__ = ()

    def __and__(self, other: Condition) -> AllOf:
        return AllOf((self, other))

    def __or__(self, other: Condition) -> AnyOf:
        return AnyOf((self, other))

    def __invert__(self) -> Not:
        return Not(self)

    def reads(self) -> frozenset[str]:
        """The ticket fields this condition reads."""
        return frozenset()

    @property
    def depth(self) -> int:
        """How deeply the condition nests (1 for a leaf)."""
        return 1


@attrs.frozen
class StateIn(_Base):
    """The ticket's state (after the event) is one of ``states``."""

    states: frozenset[str] = attrs.field(converter=_state_names)

    def compile(self) -> Predicate:
        """The condition as a fast predicate."""
        states = self.states
        return lambda state, fields, event, kind: state in states


@attrs.frozen
class FieldIn(_Base):
    """The field ``field`` (after the event) holds one of ``values`` (``None``: unset).

    Values compare with their type: ``True`` does not match ``1``.
    """

    field: str = attrs.field(converter=_field_name)
    values: tuple[object, ...] = attrs.field(converter=_values)

    @classmethod
    def equals(cls, field: str, value: object) -> FieldIn:
        """The field holds exactly ``value``."""
        return cls(field, (value,))

    def reads(self) -> frozenset[str]:
        return frozenset({self.field})

    def compile(self) -> Predicate:
        """The condition as a fast predicate."""
        name = self.field
        keys = frozenset((type(v), v) for v in self.values)

        def test(state: str, fields: Mapping[str, object], event: Event, kind: str | None) -> bool:
            value = fields.get(name)
            try:
                return (type(value), value) in keys
            except TypeError:  # an unhashable value (a list...) is none of the plain values
                return False

        return test


def _kinds(value: object) -> frozenset[str] | None:
    if value is None:
        return None
    kinds = _names(value, "EventIs kinds")
    unknown = sorted(kinds - set(EVENT_KINDS))
    if unknown:
        raise ValidationError(
            f"unknown event kind(s) {allowed_list(unknown)}; allowed: {allowed_list(EVENT_KINDS)}"
        )
    return kinds


def _public(value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ValidationError(f"EventIs public must be True, False or None, got {value!r}")
    return value


@attrs.frozen(kw_only=True)
class EventIs(_Base):
    """The event itself matches: every given part must hold (``None`` parts are not checked).

    ``kinds`` of event, ``transitions`` run, ``sources`` (state before) and ``targets``
    (state after), and ``public`` (a public comment, or a transition with a comment).
    """

    kinds: frozenset[str] | None = attrs.field(default=None, converter=_kinds)
    transitions: frozenset[str] | None = attrs.field(default=None, converter=_transitions)
    sources: frozenset[str] | None = attrs.field(default=None, converter=_sources)
    targets: frozenset[str] | None = attrs.field(default=None, converter=_targets)
    public: bool | None = attrs.field(default=None, converter=_public)

    def compile(self) -> Predicate:
        """The condition as a fast predicate."""
        kinds, transitions = self.kinds, self.transitions
        sources, targets, public = self.sources, self.targets, self.public

        def test(state: str, fields: Mapping[str, object], event: Event, kind: str | None) -> bool:
            return (
                (kinds is None or event.kind in kinds)
                and (transitions is None or event.transition in transitions)
                and (sources is None or event.source in sources)
                and (targets is None or event.target in targets)
                and (public is None or event.public is public)
            )

        return test


@attrs.frozen
class ActorIs(_Base):
    """The event's actor is the person the field ``field`` names (e.g. ``"caller"``)."""

    field: str = attrs.field(converter=_field_name)

    def reads(self) -> frozenset[str]:
        return frozenset({self.field})

    def compile(self) -> Predicate:
        """The condition as a fast predicate."""
        name = self.field
        return lambda state, fields, event, kind: fields.get(name) == event.actor


@attrs.frozen
class TicketTypeIn(_Base):
    """The ticket's type (its workflow's name, e.g. ``"incident"``) is one of ``types``."""

    types: frozenset[str] = attrs.field(converter=_type_names)

    def compile(self) -> Predicate:
        """The condition as a fast predicate."""
        types = self.types
        return lambda state, fields, event, kind: kind in types


def _items(value: object) -> tuple[Condition, ...]:
    if isinstance(value, _Base) or not isinstance(value, Iterable):
        raise ValidationError(f"AllOf/AnyOf take a list of conditions, got {value!r}")
    items = tuple(value)
    for item in items:
        _check_condition(item)
    return items


def _check_condition(value: object) -> None:
    if not isinstance(value, _Base):
        raise ValidationError(
            f"{value!r} is not a condition; allowed: StateIn, FieldIn, EventIs, ActorIs, "
            "TicketTypeIn, AllOf, AnyOf, Not"
        )
    if value.depth > MAX_DEPTH:
        raise ValidationError(f"condition nests deeper than {MAX_DEPTH} levels")


def _nested_depth(items: Iterable[_Base]) -> int:
    depth = 1 + max((item.depth for item in items), default=0)
    if depth > MAX_DEPTH:
        raise ValidationError(f"condition nests deeper than {MAX_DEPTH} levels")
    return depth


class _Group(_Base):
    """Conditions combined by :attr:`_combine` (``all`` or ``any``)."""

    __slots__ = ()
    items: tuple[Condition, ...]
    _depth: int
    _combine: ClassVar[Callable[[Iterable[object]], bool]]

    @property
    def depth(self) -> int:
        return self._depth

    def reads(self) -> frozenset[str]:
        return frozenset().union(*(item.reads() for item in self.items))

    def compile(self) -> Predicate:
        """The condition as a fast predicate."""
        tests = tuple(item.compile() for item in self.items)
        if len(tests) == 1:
            return tests[0]
        combine = type(self)._combine
        return lambda state, fields, event, kind: combine(
            t(state, fields, event, kind) for t in tests
        )


@attrs.frozen
class AllOf(_Group):
    """Every condition holds (``AllOf(())`` always holds: :data:`ALWAYS`)."""

    items: tuple[Condition, ...] = attrs.field(converter=_items)
    _depth: int = attrs.field(init=False, eq=False, repr=False)
    _combine: ClassVar[Callable[[Iterable[object]], bool]] = all

    @_depth.default
    def _depth_default(self) -> int:
        return _nested_depth(self.items)


@attrs.frozen
class AnyOf(_Group):
    """At least one condition holds (``AnyOf(())`` never holds: :data:`NEVER`)."""

    items: tuple[Condition, ...] = attrs.field(converter=_items)
    _depth: int = attrs.field(init=False, eq=False, repr=False)
    _combine: ClassVar[Callable[[Iterable[object]], bool]] = any

    @_depth.default
    def _depth_default(self) -> int:
        return _nested_depth(self.items)


def _one(value: object) -> Condition:
    _check_condition(value)
    return value  # type: ignore[return-value]


@attrs.frozen
class Not(_Base):
    """The condition does not hold."""

    item: Condition = attrs.field(converter=_one)
    _depth: int = attrs.field(init=False, eq=False, repr=False)

    @_depth.default
    def _depth_default(self) -> int:
        return _nested_depth((self.item,))

    @property
    def depth(self) -> int:
        return self._depth

    def reads(self) -> frozenset[str]:
        return self.item.reads()

    def compile(self) -> Predicate:
        """The condition as a fast predicate."""
        test = self.item.compile()
        return lambda state, fields, event, kind: not test(state, fields, event, kind)


Condition: TypeAlias = "StateIn | FieldIn | EventIs | ActorIs | TicketTypeIn | AllOf | AnyOf | Not"
"""AnyOf structured condition."""

ALWAYS = AllOf(())
"""The condition that always holds."""

NEVER = AnyOf(())
"""The condition that never holds."""


def left_states(states: str | Iterable[str]) -> AllOf:
    """The event moved the ticket out of ``states`` (e.g. out of ``"new"``: a first response).

    >>> moved = left_states("new")
    >>> sorted(moved.reads())
    []
    """
    names = _names(states, "left_states")
    return AllOf((EventIs(kinds="transition", sources=names), Not(StateIn(names))))


def _check(value: object, what: str) -> Condition:
    """``value`` as a condition, or a :class:`ValidationError` naming ``what``."""
    if not isinstance(value, _Base):
        raise ValidationError(
            f"{what} {value!r} is not a condition; allowed: StateIn, FieldIn, EventIs, ActorIs, "
            "TicketTypeIn, AllOf, AnyOf, Not (structured values, never code strings)"
        )
    return value  # type: ignore[return-value]


def _leaves(condition: Condition) -> Iterator[Condition]:
    """The leaf conditions of ``condition`` (every one but AllOf, AnyOf and Not)."""
    if isinstance(condition, AllOf | AnyOf):
        for item in condition.items:
            yield from _leaves(item)
    elif isinstance(condition, Not):
        yield from _leaves(condition.item)
    else:
        yield condition


def _compiled(condition: Condition) -> Predicate | None:
    """The predicate of ``condition``; ``None`` for one that never holds (so callers skip it)."""
    if condition == NEVER:
        return None
    return condition.compile()
