"""Impact assessment: derive an impact level from facts about an incident, by declarative rules.

An application computes impact instead of asking the caller. Rules are data (thresholds and
sets of values, never code), so they load from the same TOML/JSON file as the matrix. The
CMDB feeds the affected business service's criticality and state into :class:`ImpactFacts`.

By default the **most severe** matching rule wins, so the order of rules does not matter and
adding a rule can never lower an impact. ``mode=MatchMode.FIRST_MATCH`` takes the first
matching rule instead, for rule sets written as an ordered decision list.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import cast

import attrs

from itsmcore.errors import ConfigurationError, ValidationError, allowed_list
from itsmcore.priority._check import check_level_key, check_text, collect, describe, short
from itsmcore.priority.scale import Level, LevelKey, Scale

__all__ = [
    "Criticality",
    "ImpactAssessment",
    "ImpactFacts",
    "ImpactRule",
    "ImpactRules",
    "MatchMode",
    "ServiceState",
]

MAX_RULES = 10_000
"""Most rules one rule set may hold."""

MAX_CHOICES = 1_000
"""Most criticalities or states one rule condition may list."""


class ServiceState(enum.StrEnum):
    """The state of the affected business service, as monitoring or the CMDB reports it.

    Anything whose string value or enum name is ``up``, ``degraded`` or ``down`` (any case)
    converts, so the CMDB's own state enum can be passed as it is.
    """

    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"


class MatchMode(enum.StrEnum):
    """How a rule set picks among matching rules."""

    MOST_SEVERE = "most-severe"
    """The most severe impact among all matching rules (the default; order-independent)."""
    FIRST_MATCH = "first-match"
    """The impact of the first matching rule, in the order the rules are listed."""


def _to_state(value: object) -> ServiceState:
    if isinstance(value, ServiceState):
        return value
    name = value.name if isinstance(value, enum.Enum) else value
    if isinstance(name, str):
        try:
            return ServiceState(name.strip().casefold())
        except ValueError:
            pass
    raise ValidationError(
        f"unknown service state {short(value)}; "
        f"allowed: {allowed_list(s.value for s in ServiceState)}"
    )


def _check_users(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"affected_users must be an int >= 0, got {describe(value)}")


def _check_bool(_: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if not isinstance(value, bool):
        raise ValidationError(f"{attribute.name} must be True or False, got {describe(value)}")


Criticality = int | str
"""A service criticality as the CMDB gives it: a number (1 = most critical) or a name."""


def _criticality_key(value: object) -> int | str | None:
    """Ints compare as they are, names case-insensitively; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip().casefold()
    return None


def _check_criticality(
    _: object, __: attrs.Attribute[Criticality | None], value: Criticality | None
) -> None:
    if value is not None and _criticality_key(value) is None:
        raise ValidationError(
            f"service_criticality must be an int, a non-empty name or None, got {describe(value)}"
        )


@attrs.frozen(kw_only=True)
class ImpactFacts:
    """What is known about an incident that bears on its impact.

    ``service_criticality`` is the affected business service's criticality as the CMDB gives
    it: a number (the CMDB's 1 = most critical) or a name compared case-insensitively; ``None``
    when no service is known. ``service_state`` is that service's state: a
    :class:`ServiceState`, its string value, or any enum named UP, DEGRADED or DOWN. When
    several services are affected, build one facts value per service and use
    :meth:`ImpactRules.assess_worst`.
    """

    affected_users: int = attrs.field(default=0, validator=_check_users)
    vip_caller: bool = attrs.field(default=False, validator=_check_bool)
    service_criticality: Criticality | None = attrs.field(
        default=None, validator=_check_criticality
    )
    service_state: ServiceState = attrs.field(default=ServiceState.UP, converter=_to_state)


def _to_criticalities(value: Iterable[Criticality] | None) -> frozenset[Criticality] | None:
    if value is None:
        return None
    items = collect(
        value,
        "service_criticality",
        limit=MAX_CHOICES,
        error=ConfigurationError,
        of="criticalities",
    )
    keys = [_criticality_key(item) for item in items]
    if not items or None in keys:
        raise ConfigurationError(
            "service_criticality must list at least one criticality (ints or non-empty "
            f"names), got {describe(value)}"
        )
    return frozenset(key for key in keys if key is not None)


def _to_states(value: Iterable[ServiceState | str] | None) -> frozenset[ServiceState] | None:
    if value is None:
        return None
    items = collect(
        value, "service_state", limit=MAX_CHOICES, error=ConfigurationError, of="states"
    )
    try:
        states = frozenset(_to_state(v) for v in items)
    except ValidationError as exc:
        raise ConfigurationError(f"service_state: {exc}") from None
    if not states:
        raise ConfigurationError(
            f"service_state must list at least one state; allowed: "
            f"{allowed_list(s.value for s in ServiceState)}"
        )
    return states


def _check_min_users(_: object, __: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ConfigurationError(f"min_affected_users must be an int >= 0, got {describe(value)}")


def _check_vip(_: object, __: attrs.Attribute[bool | None], value: bool | None) -> None:
    if value is not None and not isinstance(value, bool):
        raise ConfigurationError(f"vip_caller must be True, False or None, got {describe(value)}")


def _check_rule_name(_: object, __: attrs.Attribute[str], value: str) -> None:
    check_text(value, "an impact rule's name", error=ConfigurationError)


def _check_impact(_: object, __: attrs.Attribute[LevelKey], value: LevelKey) -> None:
    check_level_key(value, "an impact rule's impact", error=ConfigurationError)


def _check_default(_: object, __: attrs.Attribute[LevelKey | None], value: LevelKey | None) -> None:
    if value is not None:
        check_level_key(value, "impact rules default", error=ConfigurationError)


@attrs.frozen(kw_only=True)
class ImpactRule:
    """A named rule: when every given condition holds, the incident has impact ``impact``.

    Conditions left as ``None`` are not checked; a rule must give at least one (the rule
    set's ``default`` covers "everything else").

    * ``min_affected_users``: at least this many affected users;
    * ``vip_caller``: the caller is (True) or is not (False) a VIP;
    * ``service_criticality``: the service's criticality is one of these (ints, or names in
      any case);
    * ``service_state``: the service's state is one of these.
    """

    name: str = attrs.field(validator=_check_rule_name)
    impact: LevelKey = attrs.field(validator=_check_impact)
    min_affected_users: int | None = attrs.field(default=None, validator=_check_min_users)
    vip_caller: bool | None = attrs.field(default=None, validator=_check_vip)
    service_criticality: frozenset[Criticality] | None = attrs.field(
        default=None, converter=_to_criticalities
    )
    service_state: frozenset[ServiceState] | None = attrs.field(default=None, converter=_to_states)

    def __attrs_post_init__(self) -> None:
        if (
            self.min_affected_users is None
            and self.vip_caller is None
            and self.service_criticality is None
            and self.service_state is None
        ):
            raise ConfigurationError(
                f"impact rule {self.name!r} has no condition; give at least one of "
                "min_affected_users, vip_caller, service_criticality, service_state "
                "(use the rule set's default for everything else)"
            )

    def matches(self, facts: ImpactFacts) -> bool:
        """True when every condition of the rule holds for ``facts``."""
        if self.min_affected_users is not None and facts.affected_users < self.min_affected_users:
            return False
        if self.vip_caller is not None and facts.vip_caller is not self.vip_caller:
            return False
        if (
            self.service_criticality is not None
            and _criticality_key(facts.service_criticality) not in self.service_criticality
        ):
            return False
        return self.service_state is None or facts.service_state in self.service_state


def _check_assessed_level(_: object, __: attrs.Attribute[Level], value: Level) -> None:
    if not isinstance(value, Level):
        raise ValidationError(
            f"an assessment's level must be a Level, got {type(value).__name__} {short(value)}"
        )


def _check_rule_ref(_: object, __: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None:
        check_text(value, "an assessment's rule", error=ValidationError)


def _to_matched(value: Iterable[str]) -> tuple[str, ...]:
    items = collect(value, "matched", limit=MAX_RULES, error=ValidationError, of="rule names")
    for item in items:
        check_text(item, "a matched rule name", error=ValidationError)
    return cast(tuple[str, ...], items)


@attrs.frozen(kw_only=True)
class ImpactAssessment:
    """The outcome of :meth:`ImpactRules.assess`: the level and the rules behind it."""

    level: Level = attrs.field(validator=_check_assessed_level)
    rule: str | None = attrs.field(validator=_check_rule_ref)
    """The rule that decided the level, or ``None`` when the default applied."""
    matched: tuple[str, ...] = attrs.field(converter=_to_matched)
    """Every rule that matched, in listed order (for an explanation in the UI or audit)."""


def _to_rules(rules: Iterable[ImpactRule]) -> tuple[ImpactRule, ...]:
    items = collect(rules, "rules", limit=MAX_RULES, error=ConfigurationError, of="ImpactRules")
    return cast(tuple[ImpactRule, ...], items)


def _to_mode(value: MatchMode | str) -> MatchMode:
    try:
        return MatchMode(value)
    except (ValueError, TypeError):
        raise ConfigurationError(
            f"unknown impact rule mode {short(value)}; "
            f"allowed: {allowed_list(m.value for m in MatchMode)}"
        ) from None


@attrs.frozen(kw_only=True)
class ImpactRules:
    """An ordered set of impact rules over an impact scale, with a default level.

    ``default`` applies when no rule matches; it defaults to the scale's least severe level.
    """

    scale: Scale
    rules: tuple[ImpactRule, ...] = attrs.field(converter=_to_rules)
    default: LevelKey | None = attrs.field(default=None, validator=_check_default)
    mode: MatchMode = attrs.field(default=MatchMode.MOST_SEVERE, converter=_to_mode)
    _levels: tuple[Level, ...] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _default: Level = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.scale, Scale):
            raise ConfigurationError(f"scale must be a Scale, got {type(self.scale).__name__}")
        bad = [r for r in self.rules if not isinstance(r, ImpactRule)]
        if bad:
            raise ConfigurationError(f"rules must be ImpactRule values, got {allowed_list(bad)}")
        names = [r.name for r in self.rules]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ConfigurationError(
                f"impact rule names must be unique, repeated: {allowed_list(repeated)}"
            )
        levels = tuple(self._level(r.impact, f"impact rule {r.name!r}") for r in self.rules)
        default = (
            self.scale.least_severe_level
            if self.default is None
            else self._level(self.default, "impact rules default")
        )
        object.__setattr__(self, "_levels", levels)
        object.__setattr__(self, "_default", default)

    @property
    def default_level(self) -> Level:
        """The level given when no rule matches."""
        return self._default

    def _level(self, key: LevelKey, where: str) -> Level:
        try:
            return self.scale.resolve(key)
        except ValidationError as exc:
            raise ConfigurationError(f"{where}: {exc}") from None

    def assess(self, facts: ImpactFacts) -> ImpactAssessment:
        """The impact for ``facts``, with the deciding rule and every matching rule."""
        if not isinstance(facts, ImpactFacts):
            raise ValidationError(
                f"assess needs ImpactFacts, got {type(facts).__name__} {short(facts)}"
            )
        hits = [i for i, rule in enumerate(self.rules) if rule.matches(facts)]
        matched = tuple(self.rules[i].name for i in hits)
        if not hits:
            return ImpactAssessment(level=self._default, rule=None, matched=())
        if self.mode is MatchMode.FIRST_MATCH:
            best = hits[0]
        else:
            best = min(hits, key=lambda i: self.scale.rank(self._levels[i]))
        return ImpactAssessment(
            level=self._levels[best], rule=self.rules[best].name, matched=matched
        )

    def assess_worst(self, facts: Iterable[ImpactFacts]) -> ImpactAssessment:
        """The most severe assessment over several facts, e.g. one per affected service.

        Ties go to the first facts given. An empty input is an error: with no service at all,
        assess plain facts instead.
        """
        if isinstance(facts, ImpactFacts | str | bytes) or not isinstance(facts, Iterable):
            raise ValidationError(
                f"assess_worst needs a list of ImpactFacts, got {type(facts).__name__} "
                f"{short(facts)}"
            )
        assessments = [self.assess(f) for f in facts]
        if not assessments:
            raise ValidationError("assess_worst needs at least one ImpactFacts, got none")
        return min(assessments, key=lambda a: self.scale.rank(a.level))

    def impact_for(self, facts: ImpactFacts) -> Level:
        """Just the impact level for ``facts`` (see :meth:`assess`)."""
        return self.assess(facts).level
