"""Records (immutable snapshots) and the engine that moves them through a workflow.

Every change returns a new :class:`Record` with ``version + 1`` and one more
:class:`~itsmcore.workflow.Event` in its history; the record passed in is never changed. A
change that may not happen raises and changes nothing. Values coming in (from the caller, a
hook or a field rule) are checked against the workflow's field kinds and frozen, so neither a
snapshot nor its history can change after the fact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TypeVar

import attrs

from itsmcore._time import to_instant
from itsmcore.errors import (
    InvalidTransitionError,
    MissingFieldsError,
    TransitionRefusedError,
    UnknownValueError,
    ValidationError,
    allowed_list,
)
from itsmcore.workflow.definition import Attempt, FieldRule, Requirement, Workflow
from itsmcore.workflow.fields import freeze
from itsmcore.workflow.history import Diff, History, Row

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
_NO_DIFF: Diff = ()


def _check_history(record: Record, _: attrs.Attribute[History], history: History) -> None:
    if type(history) is not History or not history._length:
        raise ValidationError(
            f"{record.number}: 'history' must be a non-empty History, got {history!r}; "
            "records are made by start(), replay() and the workflow engine"
        )
    if history._rows[history._length - 1][5] not in record.workflow._state_map:
        record.workflow.state(history.state)  # type: ignore[arg-type]  # raises, naming them


@attrs.frozen(kw_only=True, eq=False, repr=False)
class Record:
    """An immutable snapshot of a record (ticket) in a workflow.

    ``version`` equals ``len(history)`` and ``state`` is where the last event left it;
    ``fields`` holds the record's set fields (an unset field is absent). Create one with
    :func:`start` (or a ticket type's ``open_*``), rebuild a stored one with
    :func:`~itsmcore.workflow._replay`, and get the next snapshot with :meth:`apply`,
    :meth:`update` and :meth:`note`.
    """

    number: str
    workflow: Workflow
    fields: Mapping[str, object]
    history: History = attrs.field(validator=_check_history)

    @property
    def state(self) -> str:
        """The current state: the target of the last event."""
        history = self.history
        return history._rows[history._length - 1][5]

    @property
    def version(self) -> int:
        """The number of events in the history: 1 when created, + 1 per change."""
        return self.history._length

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self) or not isinstance(other, Record):
            return NotImplemented
        return (
            self.number == other.number
            and self.state == other.state
            and self.fields == other.fields
            and (self.workflow.name, self.workflow.version)
            == (other.workflow.name, other.workflow.version)
            and self.history == other.history
        )

    __hash__ = None  # type: ignore[assignment]  # equal by content

    # A snapshot is immutable, so a copy is the snapshot itself.
    def __copy__(self: R) -> R:
        return self

    def __deepcopy__(self: R, memo: dict[int, object]) -> R:
        return self

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        from itsmcore.workflow._replay import _restore

        return (_restore, (type(self), self.number, self.workflow, self.history))

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
        return self.fields.get(name, default)

    def text(self, name: str) -> str | None:
        """Field ``name`` as text (``None`` when unset); for typed views on ticket types."""
        value = self.fields.get(name)
        return None if value is None else str(value)

    def count(self, name: str) -> int:
        """Field ``name`` as a whole number (0 when unset)."""
        value = self.fields.get(name)
        return value if type(value) is int else 0

    def instant(self, name: str) -> datetime | None:
        """Field ``name`` as an instant (``None`` when unset)."""
        value = self.fields.get(name)
        return value if isinstance(value, datetime) else None

    def names(self, name: str) -> frozenset[str]:
        """Field ``name`` as a set of names (empty when unset)."""
        value = self.fields.get(name)
        return value if isinstance(value, frozenset) else frozenset()

    def apply(
        self: R,
        transition: str,
        *,
        at: datetime,
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
        at: datetime,
        actor: str,
        reason: str | None = None,
    ) -> R:
        """Change fields without changing state; see :func:`update`."""
        return update(self, fields, at=at, actor=actor, reason=reason)

    def note(self: R, text: str, *, at: datetime, actor: str, public: bool = False) -> R:
        """Add a work note (or a public comment); see :func:`note`."""
        return note(self, text, at=at, actor=actor, public=public)

    def allowed(self, *, actor: str = "", at: datetime | None = None) -> tuple[str, ...]:
        """Transitions whose guards pass now; see :func:`allowed`."""
        return allowed(self, actor=actor, at=at)

    def explain(self, *, actor: str = "", at: datetime | None = None) -> tuple[Option, ...]:
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


# -- checks at the boundary -------------------------------------------------------------


def _check_actor(actor: object) -> str:
    if type(actor) is not str or not actor.strip():
        raise ValidationError(f"'actor' must be a non-empty string naming who acts, got {actor!r}")
    return actor


def _check_text(value: object, name: str) -> None:
    if value is not None and (type(value) is not str or not value.strip()):
        raise ValidationError(f"{name!r} must be non-empty text or None, got {value!r}")


def _check_time(record: Record, at: object) -> datetime:
    instant = to_instant(at)
    history = record.history
    last_at = history._rows[history._length - 1][1]
    if instant < last_at:
        last = last_at.isoformat()
        raise ValidationError(
            f"'at' {instant.isoformat()} is earlier than the last event of {record.number} "
            f"({last}); history is kept in time order: pass an instant at or after {last}"
        )
    return instant


def _source_name(source: object) -> str:
    """How messages name where values came from: a hook, a field rule, or the caller."""
    if source is None:
        return ""
    if isinstance(source, FieldRule):
        return f"field rule {source.name!r}"
    return f"hook {getattr(source, '__name__', source)!r}"


def _incoming(
    workflow: Workflow,
    number: str,
    values: object,
    *,
    source: object = None,
    protected_ok: bool = False,
) -> Mapping[str, object]:
    """``values`` (field -> value) checked against the workflow's fields and frozen.

    ``source`` is the hook or field rule the values come from (named in messages; ``None``
    for the caller); the caller's values may not set protected fields (``protected_ok`` for
    creation, hooks and field rules).
    """
    if type(values) is not dict and not isinstance(values, Mapping):
        what = (
            f"{_source_name(source)} returned"
            if source is not None
            else "'fields' must be a mapping of field values,"
        )
        raise ValidationError(f"{number}: {what} {type(values).__name__} {values!r}, not a mapping")
    kinds = workflow._checks
    protected = workflow.protected_fields
    frozen: dict[str, object] = {}
    for name, value in values.items():
        if kinds is not None:
            check = kinds.get(name)
            if check is None:
                if type(name) is not str:
                    raise ValidationError(f"{number}: field names are strings, got {name!r}")
                by = f"{_source_name(source)} set " if source is not None else ""
                raise UnknownValueError(
                    f"{number}: {by}unknown field {name!r}; fields of workflow "
                    f"{workflow.name!r}: {allowed_list(sorted(kinds))}"
                )
            frozen[name] = None if value is None else check(value, name)
        elif type(name) is not str:
            raise ValidationError(f"{number}: field names are strings, got {name!r}")
        else:
            frozen[name] = freeze(value, name)
        if name in protected and not protected_ok:
            raise ValidationError(
                f"{number}: field {name!r} is set by the workflow (hooks and field rules), "
                f"not directly; protected fields of workflow {workflow.name!r}: "
                f"{allowed_list(sorted(protected))}"
            )
    return frozen


def _merge(
    workflow: Workflow, number: str, old: Mapping[str, object], changes: Mapping[str, object]
) -> tuple[Mapping[str, object], Diff]:
    """New field values and the ``(name, old, new)`` diff, with field rules applied.

    An unset field and ``None`` are the same (an unset field is absent); setting a field to
    its current value is no change. Field rules run once, on the fields that changed (they
    do not cascade).
    """
    diff: dict[str, tuple[object, object]] = {}
    new: dict[str, object] | None = None
    for name, value in changes.items():
        before = old.get(name)
        if before is value or before == value:
            continue
        if new is None:
            new = old.copy() if type(old) is MappingProxyType else dict(old)
        diff[name] = (before, value)
        if value is None:
            del new[name]
        else:
            new[name] = value
    if new is None:
        return old, _NO_DIFF
    rule_map = workflow._rules
    if rule_map:
        rules: dict[str, FieldRule] = {}
        for name in diff:
            for rule in rule_map.get(name, ()):
                rules[rule.name] = rule
        if rules:
            _apply_rules(workflow, number, rules.values(), old, new, diff)
    return MappingProxyType(new), tuple([(n, o, v) for n, (o, v) in diff.items()])


def _apply_rules(
    workflow: Workflow,
    number: str,
    rules: Iterable[FieldRule],
    old: Mapping[str, object],
    new: dict[str, object],
    diff: dict[str, tuple[object, object]],
) -> None:
    """Run the field rules on the new values, updating ``new`` and ``diff`` in place."""
    view = MappingProxyType(new)
    for rule in rules:
        computed = rule.compute(old, view)
        if not computed and type(computed) is dict:
            continue
        derived = _incoming(workflow, number, computed, source=rule, protected_ok=True)
        for name, value in derived.items():
            if new.get(name) == value:
                continue
            if value is None:
                new.pop(name, None)
            else:
                new[name] = value
            before = old.get(name)
            if before == value:
                diff.pop(name, None)
            else:
                diff[name] = (before, value)


def _refusal(record: Record, transition: str, why: str) -> str:
    options = record.workflow._by_source[record.state]
    return (
        f"cannot {transition!r} {record.number} from state {record.state!r}{why}; "
        f"allowed: {allowed_list(options)}"
    )


def _blank(value: object) -> bool:
    return value is None or (type(value) is str and not value.strip())


def _missing(
    attempt: Attempt,
    requires: tuple[str, ...] | frozenset[str],
    requirements: tuple[Requirement, ...],
    new: Mapping[str, object],
) -> list[str]:
    """The required names the attempt leaves blank (sorted; empty when all are there)."""
    missing: list[str] = []
    for name in requires:
        if _blank(attempt.comment if name == "comment" else new.get(name)):
            missing.append(name)
    for requirement in requirements:
        for name in requirement(attempt):
            if _blank(attempt.comment if name == "comment" else new.get(name)):
                missing.append(name)
    return sorted(set(missing)) if missing else missing


def _guard_name(guard: object) -> str:
    name = getattr(guard, "__name__", None) or type(guard).__name__
    return f"guard {name!r}"


def _verdict(guard: Callable[[Attempt], bool | str], attempt: Attempt) -> str | None:
    """``None`` when ``guard`` allows the attempt, else the reason it refuses."""
    verdict = guard(attempt)
    if verdict is True:
        return None
    if type(verdict) is str and verdict.strip():
        return verdict
    if verdict is False or type(verdict) is str:
        return f"refused by {_guard_name(guard)}"
    raise ValidationError(
        f"{_guard_name(guard)} returned {verdict!r}; a guard returns True, False or a reason"
    )


# -- the engine ---------------------------------------------------------------------------


def _next(
    record: Record,
    *,
    at: datetime,
    actor: str,
    kind: str,
    target: str,
    transition: str | None,
    reason: str | None,
    diff: Diff,
    note: str | None,
    public: bool,
) -> History:
    """The record's history with one more event."""
    history = record.history
    row: Row = (
        history._length + 1, at, actor, kind, record.state, target,
        transition, reason, diff, note, public,
    )  # fmt: skip
    return history._then(row)


def apply(
    record: R,
    transition: str,
    *,
    at: datetime,
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
    if not isinstance(record, Record):
        raise ValidationError(f"expected a Record to apply {transition!r} to, got {record!r}")
    if type(transition) is not str:
        raise ValidationError(f"a transition is named by a string, got {transition!r}")
    workflow = record.workflow
    history = record.history
    seq = history._length
    last = history._rows[seq - 1]
    state = last[5]
    step = workflow._table[state].get(transition)
    if step is None:
        raise InvalidTransitionError(_refusal(record, transition, ""))
    instant = to_instant(at)
    if instant < last[1]:
        _check_time(record, instant)
    if type(actor) is not str or not actor.strip():
        _check_actor(actor)
    if reason is not None or comment is not None:
        _check_text(reason, "reason")
        _check_text(comment, "comment")
    changes = _EMPTY if fields is None else _incoming(workflow, record.number, fields)
    attempt = None
    if step.needs_attempt:
        attempt = Attempt(record, transition, changes, instant, actor, comment)
        for guard in step.guards:
            why = _verdict(guard, attempt)
            if why is not None:
                raise TransitionRefusedError(_refusal(record, transition, f": {why}"))
        if step.hooks:
            merged = dict(changes) if changes else {}
            for hook in step.hooks:
                extra = hook(attempt)
                if extra or extra is not None:
                    merged.update(
                        _incoming(workflow, record.number, extra, source=hook, protected_ok=True)
                    )
            changes = merged
    if changes:
        new_fields, diff = _merge(workflow, record.number, record.fields, changes)
    else:
        new_fields, diff = record.fields, _NO_DIFF
    if attempt is not None and (step.requires or step.requirements):
        missing = _missing(attempt, step.requires, step.requirements, new_fields)
        if missing:
            raise MissingFieldsError(
                _refusal(record, transition, f": missing required field(s) {allowed_list(missing)}")
            )
    row: Row = (
        seq + 1, instant, actor, "transition", state, step.target,
        transition, reason, diff, comment, comment is not None,
    )  # fmt: skip
    return type(record)(
        number=record.number, workflow=workflow, fields=new_fields, history=history._then(row)
    )


def update(
    record: R,
    fields: Mapping[str, object],
    *,
    at: datetime,
    actor: str,
    reason: str | None = None,
) -> R:
    """Change fields without a state change, recorded as an ``"update"`` event.

    Field rules run (e.g. priority follows impact and urgency). A record in a final state
    accepts no updates. Returns ``record`` itself when nothing would change.
    """
    if not isinstance(record, Record):
        raise ValidationError(f"expected a Record to update, got {record!r}")
    workflow = record.workflow
    state = workflow._state_map[record.state]
    if state.final:
        raise InvalidTransitionError(
            f"cannot update {record.number}: it is in final state {record.state!r}, "
            "which accepts no changes; add a note instead"
        )
    instant = _check_time(record, at)
    _check_actor(actor)
    _check_text(reason, "reason")
    changes = _incoming(workflow, record.number, fields)
    new_fields, diff = _merge(workflow, record.number, record.fields, changes)
    if not diff:
        return record
    attempt = Attempt(record, "update", changes, instant, actor, None)
    missing = [
        m
        for m in _missing(attempt, state.requires, state.requirements, new_fields)
        if m != "comment"
    ]
    if missing:
        raise MissingFieldsError(
            f"cannot update {record.number}: state {record.state!r} requires "
            f"{allowed_list(missing)} to keep a value"
        )
    return type(record)(
        number=record.number,
        workflow=workflow,
        fields=new_fields,
        history=_next(
            record,
            at=instant,
            actor=actor,
            kind="update",
            target=record.state,
            transition=None,
            reason=reason,
            diff=diff,
            note=None,
            public=False,
        ),
    )


def note(record: R, text: str, *, at: datetime, actor: str, public: bool = False) -> R:
    """Add a work note (``public=False``) or a comment the caller sees (``public=True``).

    Notes are journal entries: they are accepted in every state, final ones included.
    """
    if not isinstance(record, Record):
        raise ValidationError(f"expected a Record to add a note to, got {record!r}")
    if type(text) is not str or not text.strip():
        raise ValidationError(f"a note needs non-empty text, got {text!r}")
    if type(public) is not bool:
        raise ValidationError(f"'public' must be True or False, got {public!r}")
    instant = _check_time(record, at)
    _check_actor(actor)
    return type(record)(
        number=record.number,
        workflow=record.workflow,
        fields=record.fields,
        history=_next(
            record,
            at=instant,
            actor=actor,
            kind="note",
            target=record.state,
            transition=None,
            reason=None,
            diff=_NO_DIFF,
            note=text,
            public=public,
        ),
    )


def _check_number(number: object) -> str:
    if type(number) is not str or not number.strip():
        raise ValidationError(f"'number' must be a non-empty string, got {number!r}")
    return number


def start(
    workflow: Workflow,
    *,
    number: str,
    at: datetime,
    actor: str,
    fields: Mapping[str, object] | None = None,
    initial: Mapping[str, object] | None = None,
    reason: str | None = None,
    record_type: type[R] = Record,  # type: ignore[assignment]
) -> R:
    """Create a record in the workflow's initial state, with a ``"created"`` event (version 1).

    ``fields`` are the caller's values, checked like an update's (protected fields refused);
    ``initial`` holds the values a ticket type sets itself when creating, which may include
    protected fields (e.g. a request's approval status). ``record_type`` is the ticket type
    (a :class:`Record` subclass) to create.
    """
    if not isinstance(workflow, Workflow):
        raise ValidationError(f"expected a Workflow to start a record on, got {workflow!r}")
    if not (isinstance(record_type, type) and issubclass(record_type, Record)):
        raise ValidationError(f"'record_type' must be a Record subclass, got {record_type!r}")
    _check_number(number)
    instant = to_instant(at)
    _check_actor(actor)
    _check_text(reason, "reason")
    user = _EMPTY if fields is None else _incoming(workflow, number, fields)
    own = _EMPTY if initial is None else _incoming(workflow, number, initial, protected_ok=True)
    given = {**own, **user}
    new_fields, diff = _merge(workflow, number, _EMPTY, given)
    row: Row = (
        1, instant, actor, "created", workflow.initial, workflow.initial,
        None, reason, diff, None, False,
    )  # fmt: skip
    record = record_type(
        number=number, workflow=workflow, fields=new_fields, history=History()._then(row)
    )
    state = workflow._state_map[workflow.initial]
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
    if type(actor) is not str:
        raise ValidationError(f"'actor' must be a string, got {actor!r}")
    history = record.history
    instant = to_instant(at) if at is not None else history._rows[history._length - 1][1]
    return Attempt(record, "", _EMPTY, instant, actor, None)


def explain(record: Record, *, actor: str = "", at: datetime | None = None) -> tuple[Option, ...]:
    """Every transition of the workflow as seen from ``record`` now.

    Transitions out of the current state are evaluated with their guards (without any field
    values, so a guard on supplied fields may say no here and yes with them), as ``actor`` at
    ``at`` (default: the instant of the record's last event; there is no clock); the others
    say which states they leave from.
    """
    if not isinstance(record, Record):
        raise ValidationError(f"expected a Record to explain, got {record!r}")
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
            reason = _verdict(guard, attempt)
            if reason is not None:
                break
        options.append(
            Option(
                transition=name,
                target=step.target,
                allowed=reason is None,
                reason=reason,
                requires=frozenset(step.requires),
            )
        )
    return tuple(options)


def allowed(record: Record, *, actor: str = "", at: datetime | None = None) -> tuple[str, ...]:
    """Names of the transitions out of the current state whose guards pass now."""
    return tuple(o.transition for o in explain(record, actor=actor, at=at) if o.allowed)
