"""What a workflow is made of: states, transitions, guards, required fields and hooks.

A :class:`Workflow` is a plain value built in Python. It is validated when it is built
(:mod:`itsmcore.workflow.validate`) and compiled into dict lookups so a transition costs a few
dictionary reads. Derive a customised workflow with :meth:`Workflow.with_state`,
:meth:`Workflow.with_transition`, :meth:`Workflow.with_guard` and friends; the original is
never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

import attrs

from itsmcore.errors import ConfigurationError, UnknownValueError, ValidationError, allowed_list
from itsmcore.workflow.fields import CHECKS, Check, FieldKind, check_kinds, freeze_json
from itsmcore.workflow.validate import validate

if TYPE_CHECKING:
    from itsmcore.workflow.engine import Record

__all__ = [
    "Attempt",
    "FieldRule",
    "Guard",
    "Hook",
    "RequiredWhen",
    "Requirement",
    "State",
    "Transition",
    "Workflow",
]


class Attempt(NamedTuple):
    """What guards and hooks see: the record, the transition asked for and its inputs.

    ``changes`` holds the field values passed with the transition (not yet applied);
    ``comment`` the comment passed with it, if any.
    """

    record: Record
    transition: str
    changes: Mapping[str, object]
    at: datetime
    actor: str
    comment: str | None

    def value(self, name: str) -> object:
        """The value field ``name`` will have if the transition goes ahead."""
        changes = self.changes
        return changes[name] if name in changes else self.record.fields.get(name)


Guard = Callable[[Attempt], "bool | str"]
"""A guard returns ``True`` to allow a transition, or ``False`` / a reason (str) to refuse."""

Hook = Callable[[Attempt], "Mapping[str, object] | None"]
"""A hook runs after the guards pass and returns extra field values to set (or ``None``)."""

Requirement = Callable[[Attempt], Iterable[str]]
"""A conditional requirement: returns the names of fields the attempt must provide."""


def _names(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable) or isinstance(value, Mapping | bytes):
        raise ConfigurationError(f"expected a name or names (str), got {value!r}")
    names = tuple(value)
    bad = [v for v in names if type(v) is not str or not v.strip()]
    if bad:
        raise ConfigurationError(f"names must be non-blank strings, got {allowed_list(bad)}")
    return frozenset(names)


def _items(value: object, kind: str, cls: type | None) -> tuple[object, ...]:
    """``value`` as a tuple of ``cls`` instances (of callables when ``cls`` is None)."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ConfigurationError(f"{kind} must be a list, got {type(value).__name__} {value!r}")
    items = tuple(value)
    for item in items:
        ok = isinstance(item, cls) if cls is not None else callable(item)
        if not ok:
            wanted = cls.__name__ if cls is not None else "a callable"
            raise ConfigurationError(f"{kind} must hold {wanted} items, got {item!r}")
    return items


def _guards(value: Iterable[Guard]) -> tuple[Guard, ...]:
    return _items(value, "'guards'", None)  # type: ignore[return-value]


def _hooks(value: Iterable[Hook]) -> tuple[Hook, ...]:
    return _items(value, "'hooks'", None)  # type: ignore[return-value]


def _requirements(value: Iterable[Requirement]) -> tuple[Requirement, ...]:
    return _items(value, "'requirements'", None)  # type: ignore[return-value]


def _states(value: Iterable[State]) -> tuple[State, ...]:
    return _items(value, "workflow 'states'", State)  # type: ignore[return-value]


def _transitions(value: Iterable[Transition]) -> tuple[Transition, ...]:
    return _items(value, "workflow 'transitions'", Transition)  # type: ignore[return-value]


def _rules(value: Iterable[FieldRule]) -> tuple[FieldRule, ...]:
    return _items(value, "workflow 'field_rules'", FieldRule)  # type: ignore[return-value]


def _optional_kinds(value: Mapping[str, object] | None) -> Mapping[str, FieldKind] | None:
    return None if value is None else check_kinds(value)


def _params(value: Mapping[str, object] | None) -> Mapping[str, object]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"'params' must be a mapping, got {value!r}")
    try:
        frozen = freeze_json(value, "field rule params")
    except ValidationError as error:
        raise ConfigurationError(str(error)) from None
    return frozen  # type: ignore[return-value]


def _check_bool(kind: str) -> Callable[[object, attrs.Attribute[bool], bool], None]:
    def check(_: object, attribute: attrs.Attribute[bool], value: bool) -> None:
        if type(value) is not bool:
            raise ConfigurationError(
                f"{kind} {attribute.name!r} must be True or False, got {value!r}"
            )

    return check


def _check_label(_: object, __: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and (type(value) is not str or not value.strip()):
        raise ConfigurationError(f"a label must be a non-blank string or None, got {value!r}")


def _check_name(kind: str) -> Callable[[object, attrs.Attribute[str], str], None]:
    def check(_: object, __: attrs.Attribute[str], value: str) -> None:
        if type(value) is not str or not value.strip():
            raise ConfigurationError(f"a {kind} name must be a non-empty string, got {value!r}")

    return check


@attrs.frozen(kw_only=True)
class State:
    """A state of a workflow.

    ``final`` states accept no transition. ``requires`` names fields that must hold a value
    whenever a record enters this state; ``requirements`` add conditional ones (for example
    "awaiting caller needs a comment").
    """

    name: str = attrs.field(validator=_check_name("state"))
    final: bool = attrs.field(default=False, validator=_check_bool("state"))
    requires: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    requirements: tuple[Requirement, ...] = attrs.field(default=(), converter=_requirements)
    label: str | None = attrs.field(default=None, validator=_check_label)

    @property
    def title(self) -> str:
        """The human label: ``label`` or the name with underscores as spaces."""
        return self.label or self.name.replace("_", " ").capitalize()


@attrs.frozen(kw_only=True)
class Transition:
    """A named move from one or more source states to a target state.

    ``guards`` may refuse it (with a reason); ``requires`` names fields the record must hold
    after the transition's own changes are applied; ``hooks`` derive further field values
    (for example ``resolved_at``) once the guards have passed.
    """

    name: str = attrs.field(validator=_check_name("transition"))
    sources: frozenset[str] = attrs.field(converter=_names)
    target: str = attrs.field(validator=_check_name("state"))
    guards: tuple[Guard, ...] = attrs.field(default=(), converter=_guards)
    requires: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    requirements: tuple[Requirement, ...] = attrs.field(default=(), converter=_requirements)
    hooks: tuple[Hook, ...] = attrs.field(default=(), converter=_hooks)
    label: str | None = attrs.field(default=None, validator=_check_label)

    @sources.validator
    def _check_sources(self, _: attrs.Attribute[frozenset[str]], value: frozenset[str]) -> None:
        if not value:
            raise ConfigurationError(f"transition {self.name!r} has no source state")


@attrs.frozen(kw_only=True)
class FieldRule:
    """Derives fields whenever one of the ``watch`` fields changes (in a transition or update).

    ``compute(old_fields, new_fields)`` returns the derived values, e.g. the priority from
    impact and urgency; they are recorded in the same history event. ``params`` is the data
    a registered rule factory builds the rule from (see
    :func:`itsmcore.workflow.registry.register_field_rule`), so the rule has a data form.
    """

    name: str = attrs.field(validator=_check_name("field rule"))
    watch: frozenset[str] = attrs.field(converter=_names)
    compute: Callable[[Mapping[str, object], Mapping[str, object]], Mapping[str, object]]
    params: Mapping[str, object] = attrs.field(
        factory=lambda: MappingProxyType({}), converter=_params
    )


def _values(value: object) -> frozenset[object]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        value = (value,)
    items: tuple[object, ...] = tuple(value)
    bad = [v for v in items if v is not None and type(v) not in (str, int, bool)]
    if bad or not items:
        raise ConfigurationError(
            f"'values' must be one or more str / int / bool values, got {items!r}"
        )
    return frozenset(items)


@attrs.frozen
class RequiredWhen:
    """A conditional requirement as data: when ``field`` will hold one of ``values``, the
    attempt must provide ``requires`` (field names, or ``"comment"``).

    >>> rule = RequiredWhen(field="hold_reason", values=("awaiting_caller",), requires="comment")
    >>> rule.requires
    frozenset({'comment'})
    """

    field: str = attrs.field(validator=_check_name("field"))
    values: frozenset[object] = attrs.field(converter=_values)
    requires: frozenset[str] = attrs.field(converter=_names)

    def __call__(self, attempt: Attempt) -> Iterable[str]:
        """The names required of ``attempt``."""
        return self.requires if attempt.value(self.field) in self.values else ()


class _Step(NamedTuple):
    """A compiled transition: everything ``apply`` needs, in one tuple."""

    name: str
    target: str
    guards: tuple[Guard, ...]
    requires: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    hooks: tuple[Hook, ...]
    needs_attempt: bool


@attrs.frozen(kw_only=True)
class Workflow:
    """A validated state machine for one kind of record.

    Building one checks it (unknown, unreachable and dead-end states, duplicate or ambiguous
    transitions) and raises :class:`~itsmcore.errors.ConfigurationError` naming the problem.
    ``name`` and ``version`` identify it: a stored record names the workflow it runs on.
    ``fields``, when given, declares the fields a record may carry and the kind of each
    (:mod:`itsmcore.workflow.fields`); values are checked and frozen against it.
    ``protected_fields`` are set only at creation or by hooks and field rules (counters,
    stamps, priority), never directly by a transition's or an update's fields.
    """

    name: str = attrs.field(validator=_check_name("workflow"))
    states: tuple[State, ...] = attrs.field(converter=_states)
    initial: str = attrs.field(validator=_check_name("state"))
    transitions: tuple[Transition, ...] = attrs.field(converter=_transitions)
    field_rules: tuple[FieldRule, ...] = attrs.field(default=(), converter=_rules)
    fields: Mapping[str, FieldKind] | None = attrs.field(default=None, converter=_optional_kinds)
    protected_fields: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    version: int = attrs.field(default=1)
    _checks: Mapping[str, Check] | None = attrs.field(init=False, repr=False, eq=False)
    _state_map: Mapping[str, State] = attrs.field(init=False, repr=False, eq=False)
    _steps: Mapping[tuple[str, str], _Step] = attrs.field(init=False, repr=False, eq=False)
    _table: Mapping[str, Mapping[str, _Step]] = attrs.field(init=False, repr=False, eq=False)
    _by_source: Mapping[str, tuple[str, ...]] = attrs.field(init=False, repr=False, eq=False)
    _rules: Mapping[str, tuple[FieldRule, ...]] = attrs.field(init=False, repr=False, eq=False)

    @version.validator
    def _check_version(self, _: attrs.Attribute[int], value: int) -> None:
        if type(value) is not int or value < 1:
            raise ConfigurationError(
                f"workflow {self.name!r}: 'version' must be a whole number >= 1, got {value!r}"
            )

    @property
    def field_names(self) -> frozenset[str] | None:
        """The names of the declared fields (``None`` when any field is accepted)."""
        return None if self.fields is None else frozenset(self.fields)

    def __attrs_post_init__(self) -> None:
        validate(self)
        state_map = {s.name: s for s in self.states}
        steps: dict[tuple[str, str], _Step] = {}
        by_source: dict[str, list[str]] = {s.name: [] for s in self.states}
        for t in self.transitions:
            target = state_map[t.target]
            step = _Step(
                name=t.name,
                target=t.target,
                guards=t.guards,
                requires=tuple(sorted(t.requires | target.requires)),
                requirements=t.requirements + target.requirements,
                hooks=t.hooks,
                needs_attempt=bool(
                    t.guards
                    or t.hooks
                    or t.requires
                    or target.requires
                    or t.requirements
                    or target.requirements
                ),
            )
            for source in sorted(t.sources):
                steps[(source, t.name)] = step
                by_source[source].append(t.name)
        rules: dict[str, list[FieldRule]] = {}
        for rule in self.field_rules:
            for watched in sorted(rule.watch):
                rules.setdefault(watched, []).append(rule)
        checks = None
        if self.fields is not None:
            checks = MappingProxyType({n: CHECKS[k] for n, k in self.fields.items()})
        object.__setattr__(self, "_checks", checks)
        object.__setattr__(self, "_state_map", state_map)
        object.__setattr__(self, "_steps", steps)
        table: dict[str, dict[str, _Step]] = {s.name: {} for s in self.states}
        for (source, name), step in steps.items():
            table[source][name] = step
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_by_source", {k: tuple(v) for k, v in by_source.items()})
        object.__setattr__(self, "_rules", {k: tuple(v) for k, v in rules.items()})

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # A registered workflow pickles as its name and version; another one as its parts.
        from itsmcore.workflow import registry

        if registry.is_registered(self):
            return (registry.workflow, (self.name, self.version))
        return (_rebuild, (tuple((a.name, getattr(self, a.name)) for a in _INIT_FIELDS),))

    # -- introspection -------------------------------------------------------------------

    def state(self, name: str) -> State:
        """The state called ``name``; :class:`UnknownValueError` names the known ones."""
        try:
            return self._state_map[name]
        except KeyError:
            raise UnknownValueError(
                f"workflow {self.name!r} has no state {name!r}; "
                f"states: {allowed_list(self._state_map)}"
            ) from None

    def transition(self, name: str) -> tuple[Transition, ...]:
        """The transitions called ``name`` (several when split by source states)."""
        found = tuple(t for t in self.transitions if t.name == name)
        if not found:
            raise UnknownValueError(
                f"workflow {self.name!r} has no transition {name!r}; "
                f"transitions: {allowed_list(self.transition_names)}"
            )
        return found

    @property
    def state_names(self) -> tuple[str, ...]:
        """State names in definition order."""
        return tuple(s.name for s in self.states)

    @property
    def transition_names(self) -> tuple[str, ...]:
        """Distinct transition names in definition order."""
        return tuple(dict.fromkeys(t.name for t in self.transitions))

    @property
    def final_states(self) -> frozenset[str]:
        """Names of the final states."""
        return frozenset(s.name for s in self.states if s.final)

    def transitions_from(self, state: str) -> tuple[str, ...]:
        """Names of the transitions defined out of ``state`` (guards not evaluated)."""
        self.state(state)
        return self._by_source[state]

    # -- customisation -------------------------------------------------------------------

    def renamed(self, name: str) -> Workflow:
        """The same workflow under another name."""
        return attrs.evolve(self, name=name)

    def extended(
        self,
        *,
        states: Iterable[State] = (),
        transitions: Iterable[Transition] = (),
        replacing: Iterable[Transition] = (),
        field_rules: Iterable[FieldRule] = (),
    ) -> Workflow:
        """Add states, transitions and field rules, and replace transitions, in one step.

        Each transition in ``replacing`` replaces every existing transition of its name. All
        changes are validated together: a new state with its transitions must come in one go,
        since a state with no way out (or no way in) is invalid on its own.
        """
        replaced = list(replacing)
        for t in replaced:
            self.transition(t.name)
        replaced_names = {t.name for t in replaced}
        kept = tuple(t for t in self.transitions if t.name not in replaced_names)
        new_states = list(self.states)
        for state in states:
            names = [s.name for s in new_states]
            if state.name in names:
                new_states[names.index(state.name)] = state
            else:
                new_states.append(state)
        return attrs.evolve(
            self,
            states=tuple(new_states),
            transitions=(*kept, *replaced, *transitions),
            field_rules=(*self.field_rules, *field_rules),
        )

    def with_state(self, state: State) -> Workflow:
        """Add ``state``, or replace the state of that name (keeping its position)."""
        if state.name in self._state_map:
            states = tuple(state if s.name == state.name else s for s in self.states)
        else:
            states = (*self.states, state)
        return attrs.evolve(self, states=states)

    def without_state(self, name: str) -> Workflow:
        """Remove state ``name`` and every transition into it; sources drop it too."""
        self.state(name)
        transitions = []
        for t in self.transitions:
            if t.target == name:
                continue
            if name in t.sources:
                if t.sources == {name}:
                    continue
                t = attrs.evolve(t, sources=t.sources - {name})
            transitions.append(t)
        states = tuple(s for s in self.states if s.name != name)
        return attrs.evolve(self, states=states, transitions=tuple(transitions))

    def with_transition(self, transition: Transition, *, replace: bool = False) -> Workflow:
        """Add ``transition``; with ``replace=True`` it replaces every transition of its name."""
        if replace:
            self.transition(transition.name)
            kept = tuple(t for t in self.transitions if t.name != transition.name)
        else:
            kept = self.transitions
        return attrs.evolve(self, transitions=(*kept, transition))

    def without_transition(self, name: str) -> Workflow:
        """Remove every transition called ``name``."""
        self.transition(name)
        kept = tuple(t for t in self.transitions if t.name != name)
        return attrs.evolve(self, transitions=kept)

    def with_guard(self, transition: str, guard: Guard) -> Workflow:
        """Add ``guard`` to every transition called ``transition``."""
        return self._map_transitions(
            transition, lambda t: attrs.evolve(t, guards=(*t.guards, guard))
        )

    def with_hook(self, transition: str, hook: Hook) -> Workflow:
        """Add ``hook`` to every transition called ``transition``."""
        return self._map_transitions(transition, lambda t: attrs.evolve(t, hooks=(*t.hooks, hook)))

    def with_required(self, transition: str, *fields: str) -> Workflow:
        """Make ``transition`` require ``fields`` as well."""
        return self._map_transitions(
            transition, lambda t: attrs.evolve(t, requires=t.requires | frozenset(fields))
        )

    def with_field_rule(self, rule: FieldRule) -> Workflow:
        """Add a field rule (derived values recomputed when watched fields change)."""
        return attrs.evolve(self, field_rules=(*self.field_rules, rule))

    def _map_transitions(self, name: str, change: Callable[[Transition], Transition]) -> Workflow:
        self.transition(name)
        transitions = tuple(change(t) if t.name == name else t for t in self.transitions)
        return attrs.evolve(self, transitions=transitions)


_INIT_FIELDS = tuple(a for a in attrs.fields(Workflow) if a.init)


def _rebuild(arguments: tuple[tuple[str, object], ...]) -> Workflow:
    return Workflow(**{name.lstrip("_"): value for name, value in arguments})  # type: ignore[arg-type]
