"""SLA definitions: what is measured, against which target, on which calendar, and when.

An :class:`SlaDefinition` has a kind (response, resolution, update, custom), a type (SLA, OLA,
underpinning contract), a target per priority (or a fixed one), a business calendar (24x7 by
default), warning thresholds in percent, and the six ServiceNow conditions - start, stop,
pause, resume, cancel, reset - plus ``applies``, the condition that selects it for a ticket.
:func:`response_sla` and :func:`resolution_sla` build the usual ones for the incident workflow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any, Literal, TypeAlias

import attrs

from itsmcore.errors import ValidationError, allowed_list
from itsmcore.sla._ruler import ruler
from itsmcore.sla.calendar import BaseCalendar, BusinessCalendar
from itsmcore.sla.conditions import (
    ALWAYS,
    NEVER,
    ActorIs,
    AnyOf,
    Condition,
    EventIs,
    Not,
    Predicate,
    StateIn,
    _check,
    _compiled,
    left_states,
)

__all__ = [
    "AGREEMENT_TYPES",
    "PRIORITY_POLICIES",
    "SLA_KINDS",
    "AgreementType",
    "PriorityPolicy",
    "SlaDefinition",
    "SlaKind",
    "StopAt",
    "resolution_sla",
    "response_sla",
    "response_stop",
]

SlaKind: TypeAlias = Literal["response", "resolution", "update", "custom"]
AgreementType: TypeAlias = Literal["sla", "ola", "uc"]
PriorityPolicy: TypeAlias = Literal["retroactive", "restart"]

SLA_KINDS: tuple[SlaKind, ...] = ("response", "resolution", "update", "custom")
AGREEMENT_TYPES: tuple[AgreementType, ...] = ("sla", "ola", "uc")
"""SLA (with the customer), OLA (between internal teams), underpinning contract (a supplier)."""
PRIORITY_POLICIES: tuple[PriorityPolicy, ...] = ("retroactive", "restart")

_US = timedelta(microseconds=1)
_OPEN = ("new", "in_progress", "on_hold")


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"an SLA definition's name must be non-blank text, got {value!r}")
    return value


_CHOICES: dict[str, tuple[str, ...]] = {
    "kind": SLA_KINDS,
    "type": AGREEMENT_TYPES,
    "on_priority_change": PRIORITY_POLICIES,
}


def _one_of(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    allowed = _CHOICES[attribute.name]
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(
            f"{attribute.name} {value!r} is not known; allowed: {allowed_list(allowed)}"
        )


def _is_condition(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _check(value, attribute.name)


def _duration(value: object, what: str) -> timedelta:
    if not isinstance(value, timedelta):
        raise ValidationError(f"{what} {value!r} is not a duration; allowed: a timedelta")
    if value <= timedelta(0) or value % _US:
        raise ValidationError(
            f"{what} {value!r} must be positive and whole microseconds; allowed: e.g. "
            "timedelta(hours=4)"
        )
    return value


def _target(value: object) -> timedelta | None:
    return None if value is None else _duration(value, "target")


def _targets(value: object) -> tuple[tuple[int | str, timedelta], ...]:
    if isinstance(value, tuple):  # the stored form (attrs.evolve passes it back)
        value = dict(value)
    if not isinstance(value, Mapping):
        raise ValidationError(
            f"targets {value!r} is not a mapping; allowed: e.g. {{1: timedelta(hours=4)}}"
        )
    out = []
    for key, target in value.items():
        if isinstance(key, bool) or not isinstance(key, int | str):
            raise ValidationError(f"targets key {key!r} is not a priority (a number or a label)")
        out.append((key, _duration(target, f"target for priority {key!r}")))
    return tuple(out)


def _calendar(value: object) -> BaseCalendar:
    if not isinstance(value, BaseCalendar):
        raise ValidationError(
            f"calendar {value!r} is not a business calendar; allowed: a BusinessCalendar "
            "(BusinessCalendar.always_open() for 24x7)"
        )
    return value


def _warnings(value: object) -> tuple[int, ...]:
    if isinstance(value, int | str) or not isinstance(value, Iterable):
        raise ValidationError(f"warnings {value!r} must be a list of percentages, e.g. [50, 75]")
    items = list(value)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 < item < 100:
            raise ValidationError(
                f"warning threshold {item!r} is not a whole percentage; allowed: 1 to 99 "
                "(the breach is 100 %)"
            )
    return tuple(sorted(set(items)))


def _field_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"priority_field must be a field name, got {value!r}")
    return value


@attrs.frozen(kw_only=True)
class SlaDefinition:
    """One service-level target and the rules of its clock (evaluated as ServiceNow does).

    After each event of a ticket's history: an attached clock is cancelled when ``cancel``
    holds, completed when ``stop`` holds, restarted when ``reset`` and ``start`` hold, paused
    when ``pause`` holds and resumed when ``pause`` no longer holds or ``resume`` does. A clock
    attaches when ``start`` holds and neither ``stop`` nor ``cancel`` does; attaching again
    after a completed cycle starts a new cycle (as Jira SM does).

    The target is ``targets[fields[priority_field]]`` when ``targets`` is given, else
    ``target``; a ticket whose priority has no target is not measured. When the target (or
    the selected definition) changes mid-flight, ``on_priority_change`` says how: keep the
    start and the pauses (``"retroactive"``, the default) or a new clock from now
    (``"restart"``).
    """

    name: str = attrs.field(converter=_text)
    kind: SlaKind = attrs.field(validator=_one_of)
    start: Condition = attrs.field(validator=_is_condition)
    stop: Condition = attrs.field(validator=_is_condition)
    type: AgreementType = attrs.field(default="sla", validator=_one_of)
    target: timedelta | None = attrs.field(default=None, converter=_target)
    targets: tuple[tuple[int | str, timedelta], ...] = attrs.field(default=(), converter=_targets)
    priority_field: str = attrs.field(default="priority", converter=_field_name)
    calendar: BaseCalendar = attrs.field(factory=BusinessCalendar.always_open, converter=_calendar)
    pause: Condition = attrs.field(default=NEVER, validator=_is_condition)
    resume: Condition = attrs.field(default=NEVER, validator=_is_condition)
    cancel: Condition = attrs.field(default=NEVER, validator=_is_condition)
    reset: Condition = attrs.field(default=NEVER, validator=_is_condition)
    applies: Condition = attrs.field(default=ALWAYS, validator=_is_condition)
    warnings: tuple[int, ...] = attrs.field(default=(50, 75, 90), converter=_warnings)
    on_priority_change: PriorityPolicy = attrs.field(default="retroactive", validator=_one_of)
    _rules: _Rules = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if (self.target is None) == (not self.targets):
            raise ValidationError(
                f"SLA {self.name!r}: give either a fixed target or targets per priority, "
                f"got target={self.target!r}, targets={dict(self.targets)!r}"
            )
        object.__setattr__(self, "_rules", _Rules(self))

    def __reduce__(self) -> tuple[object, tuple[dict[str, object]]]:
        # Pickled (and deep-copied) as its arguments: the compiled rules are rebuilt, not stored.
        arguments = {a.name: getattr(self, a.name) for a in attrs.fields(SlaDefinition) if a.init}
        return (_restore, (arguments,))

    def target_for(self, fields: Mapping[str, object]) -> timedelta | None:
        """The target for a ticket with these field values (``None``: not measured)."""
        micros = self._rules.target_micros(fields)
        return None if micros is None else micros * _US

    @property
    def slot(self) -> tuple[str, ...]:
        """Which definitions compete: per type and kind the first match wins (custom: per
        name, so every matching custom definition is measured)."""
        if self.kind == "custom":
            return (self.type, self.kind, self.name)
        return (self.type, self.kind)


def _restore(arguments: dict[str, Any]) -> SlaDefinition:
    """An unpickled definition (its rules compiled again)."""
    return SlaDefinition(**arguments)


class _Rules:
    """A definition compiled for the engine: predicates and targets in microseconds."""

    __slots__ = (
        "_amounts",
        "_durations",
        "applies",
        "calendar",
        "cancel",
        "definition",
        "field",
        "fixed",
        "name",
        "pause",
        "reset",
        "resume",
        "ruler",
        "start",
        "stop",
        "targets",
        "thresholds",
    )

    def __init__(self, definition: SlaDefinition) -> None:
        self.definition = definition
        self.name = definition.name
        self.calendar = definition.calendar
        self.ruler = ruler(definition.calendar)  # one per calendar, shared by every ticket
        self.start: Predicate = _compiled(definition.start) or _never
        self.stop = _compiled(definition.stop)
        self.pause = _compiled(definition.pause)
        self.resume = _compiled(definition.resume)
        self.cancel = _compiled(definition.cancel)
        self.reset = _compiled(definition.reset)
        self.applies = None if definition.applies == ALWAYS else definition.applies.compile()
        self.field = definition.priority_field
        self.fixed = None if definition.target is None else definition.target // _US
        self.targets: dict[tuple[type, object], int] = {
            (type(key), key): target // _US for key, target in definition.targets
        }
        self.thresholds = (*definition.warnings, 100)
        self._amounts: dict[int, tuple[tuple[int, int], ...]] = {}
        self._durations: dict[int, timedelta] = {}

    def target_micros(self, fields: Mapping[str, object]) -> int | None:
        if self.fixed is not None:
            return self.fixed
        value = fields.get(self.field)
        try:
            return self.targets.get((type(value), value))
        except TypeError:  # an unhashable value is no priority
            return None

    def duration(self, target: int) -> timedelta:
        """``target`` microseconds as a timedelta (one object per target, shared)."""
        found = self._durations.get(target)
        if found is None:
            found = target * _US
            if len(self._durations) < 64:
                self._durations[target] = found
        return found

    def amounts(self, target: int) -> tuple[tuple[int, int], ...]:
        """``(percent, business microseconds)`` of each threshold, the breach (100) last."""
        found = self._amounts.get(target)
        if found is None:
            found = tuple((p, target * p // 100) for p in self.thresholds)
            if len(self._amounts) < 64:
                self._amounts[target] = found
        return found


def _never(*_: object) -> bool:
    return False


StopAt: TypeAlias = Literal["first_response", "leave_new", "public_comment"]
_STOP_AT = ("first_response", "leave_new", "public_comment")


def response_stop(stop_at: StopAt = "first_response", *, initial: str = "new") -> Condition:
    """When a response SLA stops: the first response (the move out of ``initial`` or a public
    comment by anyone but the caller, as :func:`itsmcore.incidents.first_response_at`), only
    the move out of ``initial``, or only the first public comment."""
    leave = left_states(initial)
    comment = EventIs(kinds=("note", "transition"), public=True)
    if stop_at == "leave_new":
        return leave
    if stop_at == "public_comment":
        return comment
    if stop_at == "first_response":
        return AnyOf((leave, EventIs(kinds="note", public=True) & Not(ActorIs("caller"))))
    raise ValidationError(f"stop_at {stop_at!r} is not known; allowed: {allowed_list(_STOP_AT)}")


def response_sla(
    name: str,
    *,
    target: timedelta | None = None,
    targets: Mapping[int | str, timedelta] | None = None,
    calendar: BaseCalendar | None = None,
    stop_at: StopAt = "first_response",
    type: AgreementType = "sla",
    applies: Condition = ALWAYS,
    warnings: Iterable[int] = (50, 75, 90),
    on_priority_change: PriorityPolicy = "retroactive",
) -> SlaDefinition:
    """A time-to-first-response SLA for the incident workflow: starts when the ticket is
    created, stops at the first response (see :func:`response_stop`), cancelled with it."""
    return SlaDefinition(
        name=name,
        kind="response",
        type=type,
        target=target,
        targets=targets or {},
        calendar=calendar or BusinessCalendar.always_open(),
        start=EventIs(kinds="created"),
        stop=response_stop(stop_at),
        cancel=StateIn("canceled"),
        applies=applies,
        warnings=warnings,
        on_priority_change=on_priority_change,
    )


def resolution_sla(
    name: str,
    *,
    target: timedelta | None = None,
    targets: Mapping[int | str, timedelta] | None = None,
    calendar: BaseCalendar | None = None,
    pause_in: Iterable[str] = ("on_hold",),
    type: AgreementType = "sla",
    applies: Condition = ALWAYS,
    warnings: Iterable[int] = (50, 75, 90),
    on_priority_change: PriorityPolicy = "retroactive",
) -> SlaDefinition:
    """A time-to-resolution SLA for the incident workflow: runs while the ticket is open,
    paused in ``pause_in`` states, stops when resolved or closed (a reopen starts a new
    cycle), cancelled when the ticket is cancelled."""
    pauses = tuple(pause_in)
    return SlaDefinition(
        name=name,
        kind="resolution",
        type=type,
        target=target,
        targets=targets or {},
        calendar=calendar or BusinessCalendar.always_open(),
        start=StateIn(_OPEN),
        stop=StateIn(("resolved", "closed")),
        pause=StateIn(pauses) if pauses else NEVER,
        cancel=StateIn("canceled"),
        applies=applies,
        warnings=warnings,
        on_priority_change=on_priority_change,
    )
