"""Records (immutable snapshots) and the engine that moves them through a workflow.

Every change returns a new :class:`Record` with ``version + 1`` and one more
:class:`~itsmcore.workflow.Event` in its history; the record passed in is never changed. A
transition that may not happen raises and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

import attrs
import pendulum

from itsmcore._time import to_utc
from itsmcore.errors import (
    InvalidTransitionError,
    MissingFieldsError,
    TransitionRefusedError,
    UnknownValueError,
    ValidationError,
    allowed_list,
)
from itsmcore.workflow.definition import Attempt, FieldRule, Requirement, Workflow
from itsmcore.workflow.history import Event, History, Node, _node

__all__ = [
    "Option",
    "Record",
    "allowed",
    "apply",
    "explain",
    "note",
    "start",
    "update",
]

R = TypeVar("R", bound="Record")

_EMPTY: Mapping[str, object] = MappingProxyType({})
_NO_CHANGES: Mapping[str, tuple[object, object]] = MappingProxyType({})
_new = object.__new__
_tuple_new = tuple.__new__
_DateTime = pendulum.DateTime
_UTC = pendulum.UTC


@attrs.frozen(kw_only=True, eq=False)
class Record:
    """An immutable snapshot of a record (ticket) in a workflow.

    ``version`` equals ``len(history)``; ``fields`` holds the record's data. Use
    :func:`start` to create one and :meth:`apply` / :meth:`update` / :meth:`note` to get the
    next snapshot.
    """

    number: str
    workflow: Workflow = attrs.field(eq=False, repr=False)
    state: str
    fields: Mapping[str, object] = attrs.field(repr=False)
    _log: Node = attrs.field(repr=False, alias="log")
    _view: History | None = attrs.field(init=False, default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        # Only direct construction (or attrs.evolve) comes here; the engine builds snapshots
        # itself. A snapshot must agree with its own history.
        self.workflow.state(self.state)
        if self._log[5] != self.state:
            raise ValidationError(
                f"{self.number}: state {self.state!r} does not match its history, which ends "
                f"in {self._log[5]!r}; records change only through the workflow engine"
            )

    @property
    def version(self) -> int:
        """The number of events in the history: 1 when created, + 1 per change."""
        return self._log[0]

    @property
    def history(self) -> History:
        """The record's events, oldest first (shared with earlier snapshots, never copied)."""
        try:
            view = self._view
        except AttributeError:
            view = None
        if view is None:
            view = History._of_node(self._log)
            object.__setattr__(self, "_view", view)
        return view

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self) or not isinstance(other, Record):
            return NotImplemented
        return (self.number, self.state, self.fields) == (
            other.number,
            other.state,
            other.fields,
        ) and self.history == other.history

    __hash__ = None  # type: ignore[assignment]  # equal by content

    # A snapshot is immutable, so a copy is the snapshot itself (and copying never walks the
    # history, whose cells nest as deep as the history is long).
    def __copy__(self: R) -> R:
        return self

    def __deepcopy__(self: R, memo: dict[int, object]) -> R:
        return self

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(number={self.number!r}, state={self.state!r}, "
            f"version={self.version})"
        )

    @property
    def is_final(self) -> bool:
        """Whether the record is in a final state (it accepts no more transitions)."""
        return self.workflow._state_map[self.state].final

    def get(self, name: str, default: object = None) -> object:
        """The value of field ``name`` (``default`` when unset)."""
        value = self.fields.get(name, default)
        return default if value is None else value

    def text(self, name: str) -> str | None:
        """Field ``name`` as text (``None`` when unset); for typed views on ticket types."""
        value = self.fields.get(name)
        return None if value is None else str(value)

    def count(self, name: str) -> int:
        """Field ``name`` as a whole number (0 when unset)."""
        value = self.fields.get(name)
        return value if isinstance(value, int) else 0

    def instant(self, name: str) -> pendulum.DateTime | None:
        """Field ``name`` as an instant (``None`` when unset)."""
        value = self.fields.get(name)
        return value if isinstance(value, pendulum.DateTime) else None

    def apply(
        self: R,
        transition: str,
        *,
        at: object,
        actor: str,
        reason: str | None = None,
        comment: str | None = None,
        fields: Mapping[str, object] | None = None,
    ) -> R:
        """Run ``transition``; see :func:`apply`."""
        return apply(
            self, transition, at=at, actor=actor, reason=reason, comment=comment, fields=fields
        )

    def update(
        self: R,
        fields: Mapping[str, object],
        *,
        at: object,
        actor: str,
        reason: str | None = None,
    ) -> R:
        """Change fields without changing state; see :func:`update`."""
        return update(self, fields, at=at, actor=actor, reason=reason)

    def note(self: R, text: str, *, at: object, actor: str, public: bool = False) -> R:
        """Add a work note (or a public comment); see :func:`note`."""
        return note(self, text, at=at, actor=actor, public=public)

    def allowed(self, *, actor: str = "", at: object = None) -> tuple[str, ...]:
        """Transitions whose guards pass now; see :func:`allowed`."""
        return allowed(self, actor=actor, at=at)

    def explain(self, *, actor: str = "", at: object = None) -> tuple[Option, ...]:
        """Every transition with whether it is allowed now and why not; see :func:`explain`."""
        return explain(self, actor=actor, at=at)


@attrs.frozen(kw_only=True)
class Option:
    """One transition as seen from a record now: allowed or not, and why not."""

    transition: str
    target: str | None
    allowed: bool
    reason: str | None
    requires: frozenset[str] = frozenset()


_SET = {name: Record.__dict__[name].__set__ for name in attrs.fields_dict(Record)}
_set_number = _SET["number"]
_set_workflow = _SET["workflow"]
_set_state = _SET["state"]
_set_fields = _SET["fields"]
_set_log = _SET["_log"]


def _make(
    cls: type[R],
    number: str,
    workflow: Workflow,
    state: str,
    fields: Mapping[str, object],
    log: Node,
) -> R:
    """Build a snapshot without re-running validation (the engine has checked everything)."""
    record: R = _new(cls)
    _set_number(record, number)
    _set_workflow(record, workflow)
    _set_state(record, state)
    _set_fields(record, fields)
    _set_log(record, log)
    return record


def _check_actor(actor: object) -> str:
    if type(actor) is not str or not actor.strip():
        raise ValidationError(f"'actor' must be a non-empty string naming who acts, got {actor!r}")
    return actor


def _check_time(record: Record, at: object) -> pendulum.DateTime:
    instant = to_utc(at)
    last = record.history.last
    if last is not None and instant < last.at:
        raise ValidationError(
            f"'at' {instant.isoformat()} is earlier than the last event of {record.number} "
            f"({last.at.isoformat()}); history is kept in time order: pass an instant at or "
            f"after {last.at.isoformat()}"
        )
    return instant


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_names(
    workflow: Workflow,
    record_number: str,
    changes: Mapping[str, object],
    *,
    creating: bool = False,
) -> None:
    protected = workflow.protected_fields
    if protected and not creating:
        blocked = sorted(name for name in changes if name in protected)
        if blocked:
            raise ValidationError(
                f"{record_number}: field(s) {allowed_list(blocked)} are set by the workflow "
                f"(hooks and field rules), not directly; protected fields of workflow "
                f"{workflow.name!r}: {allowed_list(sorted(protected))}"
            )
    known = workflow.field_names
    if known is None:
        return
    unknown = [name for name in changes if name not in known]
    if unknown:
        raise UnknownValueError(
            f"{record_number}: unknown field(s) {allowed_list(sorted(unknown))}; "
            f"fields of workflow {workflow.name!r}: {allowed_list(sorted(known))}"
        )


def _merge(
    workflow: Workflow, old: Mapping[str, object], changes: Mapping[str, object]
) -> tuple[Mapping[str, object], Mapping[str, tuple[object, object]]]:
    """New field values and the ``{name: (old, new)}`` diff, with field rules applied.

    An unset field and ``None`` are the same; setting a field to its current value is no
    change. Field rules run once, on the fields the caller changed (they do not cascade).
    """
    diff: dict[str, tuple[object, object]] = {}
    for name, value in changes.items():
        before = old.get(name)
        if before is not value and before != value:
            diff[name] = (before, value)
    if not diff:
        return old, _NO_CHANGES
    new = dict(old)
    for name, (_, value) in diff.items():
        new[name] = value
    rule_map = workflow._rules
    if rule_map:
        rules: list[FieldRule] = []
        for name in list(diff):
            for rule in rule_map.get(name, ()):
                if rule not in rules:
                    rules.append(rule)
        view = MappingProxyType(new)
        for rule in rules:
            for name, value in rule.compute(old, view).items():
                if new.get(name) != value:
                    diff[name] = (old.get(name), value)
                    new[name] = value
    return MappingProxyType(new), MappingProxyType(diff)


def _refusal(record: Record, transition: str, why: str) -> str:
    options = record.workflow._by_source[record.state]
    return (
        f"cannot {transition!r} {record.number} from state {record.state!r}{why}; "
        f"allowed: {allowed_list(options)}"
    )


def _missing(
    attempt: Attempt,
    requires: frozenset[str],
    requirements: tuple[Requirement, ...],
    new: Mapping[str, object],
) -> list[str]:
    needed = set(requires)
    for requirement in requirements:
        needed.update(requirement(attempt))
    missing = []
    for name in needed:
        if name == "comment":
            if _blank(attempt.comment):
                missing.append(name)
        elif _blank(new.get(name)):
            missing.append(name)
    return sorted(missing)


def apply(
    record: R,
    transition: str,
    *,
    at: object,
    actor: str,
    reason: str | None = None,
    comment: str | None = None,
    fields: Mapping[str, object] | None = None,
) -> R:
    """Return the snapshot after ``transition``, with one more history event.

    ``fields`` are values set by the transition (checked against its required fields);
    ``comment`` is recorded on the event and satisfies a required ``"comment"``. Raises
    :class:`~itsmcore.errors.InvalidTransitionError` (or its subclasses
    :class:`~itsmcore.errors.TransitionRefusedError` and
    :class:`~itsmcore.errors.MissingFieldsError`) and changes nothing when it may not happen.
    """
    workflow = record.workflow
    state = record.state
    step = workflow._table[state].get(transition)
    if step is None:
        raise InvalidTransitionError(_refusal(record, transition, ""))
    _, target, guards, requires, requirements, hooks, needs_attempt = step
    instant = at if type(at) is _DateTime and at.tzinfo is _UTC else to_utc(at)
    log = record._log
    if instant < log[1]:
        _check_time(record, instant)
    if type(actor) is not str or not actor:
        _check_actor(actor)
    changes = _EMPTY if fields is None else fields
    if changes and (workflow.field_names is not None or workflow.protected_fields):
        _check_names(workflow, record.number, changes)
    if needs_attempt:
        attempt = _tuple_new(Attempt, (record, transition, changes, instant, actor, comment))
        for guard in guards:
            verdict = guard(attempt)
            if verdict is not True:
                why = verdict if isinstance(verdict, str) else f"refused by {_guard_name(guard)}"
                raise TransitionRefusedError(_refusal(record, transition, f": {why}"))
        if hooks:
            merged = dict(changes)
            for hook in hooks:
                extra = hook(attempt)
                if extra:
                    merged.update(extra)
            changes = merged
    if changes:
        new_fields, diff = _merge(workflow, record.fields, changes)
    else:
        new_fields, diff = record.fields, _NO_CHANGES
    if needs_attempt and (requires or requirements):
        missing = _missing(attempt, requires, requirements, new_fields)
        if missing:
            raise MissingFieldsError(
                _refusal(record, transition, f": missing required field(s) {allowed_list(missing)}")
            )
    node: Node = (
        log[0] + 1,
        instant,
        actor,
        "transition",
        state,
        target,
        transition,
        reason,
        diff,
        comment,
        comment is not None,
        log,
    )
    new: R = _new(type(record))
    _set_number(new, record.number)
    _set_workflow(new, workflow)
    _set_state(new, target)
    _set_fields(new, new_fields)
    _set_log(new, node)
    return new


Record.apply = apply  # type: ignore[method-assign,assignment]  # skip one call layer


def _guard_name(guard: object) -> str:
    name = getattr(guard, "__name__", None) or type(guard).__name__
    return f"guard {name!r}"


def update(
    record: R,
    fields: Mapping[str, object],
    *,
    at: object,
    actor: str,
    reason: str | None = None,
) -> R:
    """Change fields without a state change, recorded as an ``"update"`` event.

    Field rules run (e.g. priority follows impact and urgency). A record in a final state
    accepts no updates. Returns ``record`` itself when nothing would change.
    """
    workflow = record.workflow
    state = workflow._state_map[record.state]
    if state.final:
        raise InvalidTransitionError(
            f"cannot update {record.number}: it is in final state {record.state!r}, "
            "which accepts no changes; add a note instead"
        )
    instant = _check_time(record, at)
    _check_actor(actor)
    _check_names(workflow, record.number, fields)
    new_fields, diff = _merge(workflow, record.fields, fields)
    if not diff:
        return record
    attempt = Attempt(record, "update", fields, instant, actor, None)
    missing = _missing(attempt, state.requires, state.requirements, new_fields)
    missing = [m for m in missing if m != "comment"]
    if missing:
        raise MissingFieldsError(
            f"cannot update {record.number}: state {record.state!r} requires "
            f"{allowed_list(missing)} to keep a value"
        )
    version = record.version + 1
    event = Event(
        seq=version,
        at=instant,
        actor=actor,
        kind="update",
        source=record.state,
        target=record.state,
        reason=reason,
        changes=diff,
    )
    return _make(
        type(record),
        record.number,
        workflow,
        record.state,
        new_fields,
        _node(event, record._log),
    )


def note(record: R, text: str, *, at: object, actor: str, public: bool = False) -> R:
    """Add a work note (``public=False``) or a comment the caller sees (``public=True``).

    Notes are journal entries: they are accepted in every state, final ones included.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(f"a note needs non-empty text, got {text!r}")
    instant = _check_time(record, at)
    _check_actor(actor)
    version = record.version + 1
    event = Event(
        seq=version,
        at=instant,
        actor=actor,
        kind="note",
        source=record.state,
        target=record.state,
        note=text,
        public=bool(public),
    )
    return _make(
        type(record),
        record.number,
        record.workflow,
        record.state,
        record.fields,
        _node(event, record._log),
    )


def start(
    workflow: Workflow,
    *,
    number: str,
    at: object,
    actor: str,
    fields: Mapping[str, object] | None = None,
    initial: Mapping[str, object] | None = None,
    reason: str | None = None,
    record_type: type[R] = Record,  # type: ignore[assignment]
) -> R:
    """Create a record in the workflow's initial state, with a ``"created"`` event (version 1).

    ``fields`` are checked like an update's (protected fields refused); ``initial`` holds the
    values a ticket type sets itself when creating, which may include protected fields (e.g.
    a request's approval status). ``record_type`` lets a ticket type (a :class:`Record`
    subclass) be created directly.
    """
    if not isinstance(number, str) or not number.strip():
        raise ValidationError(f"'number' must be a non-empty string, got {number!r}")
    instant = to_utc(at)
    _check_actor(actor)
    user = dict(fields or {})
    _check_names(workflow, number, user)
    given = {**(initial or {}), **user}
    _check_names(workflow, number, given, creating=True)
    new_fields, diff = _merge(workflow, _EMPTY, given)
    state = workflow._state_map[workflow.initial]
    event = Event(
        seq=1,
        at=instant,
        actor=actor,
        kind="created",
        source=workflow.initial,
        target=workflow.initial,
        reason=reason,
        changes=diff,
    )
    record = _make(
        record_type,
        number,
        workflow,
        workflow.initial,
        MappingProxyType(dict(new_fields)),
        _node(event, None),
    )
    attempt = Attempt(record, "create", given, instant, actor, None)
    missing = [
        m
        for m in _missing(attempt, state.requires, state.requirements, new_fields)
        if m != "comment"
    ]
    if missing:
        raise MissingFieldsError(
            f"cannot create {number}: state {workflow.initial!r} requires {allowed_list(missing)}"
        )
    return record


def _probe(record: Record, actor: str, at: object) -> Attempt:
    last = record.history.last
    if at is not None:
        instant = to_utc(at)
    elif last is not None:
        instant = last.at
    else:
        raise ValidationError(f"{record.number} has no history; pass 'at' to evaluate guards")
    return Attempt(record, "", _EMPTY, instant, actor, None)


def explain(record: Record, *, actor: str = "", at: object = None) -> tuple[Option, ...]:
    """Every transition of the workflow as seen from ``record`` now.

    Transitions out of the current state are evaluated with their guards (without any field
    values, so a guard on supplied fields may say no here and yes with them), as ``actor`` at
    ``at`` (default: the instant of the record's last event; there is no clock); the others
    say which states they leave from.
    """
    workflow = record.workflow
    base = _probe(record, actor, at)
    options = []
    for name in workflow.transition_names:
        step = workflow._steps.get((record.state, name))
        if step is None:
            sources = sorted({s for t in workflow.transitions if t.name == name for s in t.sources})
            options.append(
                Option(
                    transition=name,
                    target=None,
                    allowed=False,
                    reason=f"not from state {record.state!r} (only from {allowed_list(sources)})",
                )
            )
            continue
        attempt = base._replace(transition=name)
        reason = None
        for guard in step.guards:
            verdict = guard(attempt)
            if verdict is not True:
                reason = verdict if isinstance(verdict, str) else f"refused by {_guard_name(guard)}"
                break
        options.append(
            Option(
                transition=name,
                target=step.target,
                allowed=reason is None,
                reason=reason,
                requires=step.requires,
            )
        )
    return tuple(options)


def allowed(record: Record, *, actor: str = "", at: object = None) -> tuple[str, ...]:
    """Names of the transitions out of the current state whose guards pass now."""
    return tuple(o.transition for o in explain(record, actor=actor, at=at) if o.allowed)
