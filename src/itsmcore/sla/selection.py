"""Selecting the definitions that measure a ticket: per type and kind, the first match wins.

An :class:`SlaSet` is an ordered list of definitions. After each event, for every *slot*
(an agreement type and kind, e.g. the customer's resolution SLA or the team's response OLA;
each custom definition is its own slot) the first definition in order whose ``applies``
condition holds and which has a target for the ticket's priority is the one measuring it,
as in Jira SM (first goal from the top) and Zendesk (first policy).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import attrs

from itsmcore.errors import UnknownValueError, ValidationError, allowed_list
from itsmcore.sla._decisions import Decider, pick
from itsmcore.sla.definition import SlaDefinition, _Rules
from itsmcore.workflow import Event

__all__ = ["SlaSet"]


def _definitions(value: object) -> tuple[SlaDefinition, ...]:
    if isinstance(value, SlaDefinition):
        return (value,)
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(f"an SlaSet takes a list of SlaDefinition, got {value!r}")
    items = tuple(value)
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, SlaDefinition):
            raise ValidationError(f"{item!r} is not an SlaDefinition")
        if item.name in seen:
            raise ValidationError(f"two SLA definitions are named {item.name!r}; names are unique")
        seen.add(item.name)
    return items


@attrs.frozen
class SlaSet:
    """Definitions in priority order; see the module docstring for how one is selected."""

    definitions: tuple[SlaDefinition, ...] = attrs.field(converter=_definitions)
    _slots: tuple[tuple[tuple[str, ...], tuple[_Rules, ...]], ...] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    @_slots.default
    def _group(self) -> tuple[tuple[tuple[str, ...], tuple[_Rules, ...]], ...]:
        groups: dict[tuple[str, ...], list[_Rules]] = {}
        for definition in self.definitions:
            groups.setdefault(definition.slot, []).append(definition._rules)
        return tuple((slot, tuple(rules)) for slot, rules in groups.items())

    _decider: Decider = attrs.field(init=False, eq=False, repr=False, hash=False)

    @_decider.default
    def _decide(self) -> Decider:
        return Decider(tuple(candidates for _, candidates in self._slots))

    def __reduce__(self) -> tuple[type[SlaSet], tuple[tuple[SlaDefinition, ...]]]:
        # Pickled (and deep-copied) as its definitions: the slots and decider are rebuilt.
        return (SlaSet, (self.definitions,))

    @classmethod
    def of(cls, value: SlaSet | SlaDefinition | Iterable[SlaDefinition]) -> SlaSet:
        """``value`` as an SlaSet (a set is returned as it is)."""
        return value if isinstance(value, SlaSet) else cls(value)

    def __iter__(self) -> Iterator[SlaDefinition]:
        return iter(self.definitions)

    def __len__(self) -> int:
        return len(self.definitions)

    def __getitem__(self, name: str) -> SlaDefinition:
        for definition in self.definitions:
            if definition.name == name:
                return definition
        raise UnknownValueError(
            f"no SLA definition named {name!r}; known: "
            f"{allowed_list(d.name for d in self.definitions)}"
        )

    def select(
        self,
        state: str,
        fields: Mapping[str, object],
        event: Event,
        ticket_type: str | None = None,
    ) -> tuple[SlaDefinition, ...]:
        """The definition measuring each slot for a ticket in this state with these fields,
        after ``event`` (slots with no match are left out)."""
        out = []
        for _, candidates in self._slots:
            rules = pick(candidates, state, fields, event, ticket_type)
            if rules is not None:
                out.append(rules.definition)
        return tuple(out)
