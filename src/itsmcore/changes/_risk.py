"""Change risk: first-match rules, a weighted questionnaire and an impact x probability matrix.

Each engine gives a risk level on one :class:`~itsmcore.priority.Scale`; the change takes the
most severe of them, with every engine's reason listed (ServiceNow: "the highest risk value
from both methods is always selected"). Rules and questionnaires are plain data.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from itsmcore.changes._checks import check_names, check_text, check_whole
from itsmcore.errors import ConfigurationError, ValidationError, allowed_list
from itsmcore.priority import Level, PriorityMatrix, Scale

if TYPE_CHECKING:
    from datetime import datetime

    from itsmcore.changes._change import Change
    from itsmcore.changes._windows import ChangeWindow
    from itsmcore.cmdb import CMDB

__all__ = [
    "RISK_SCALE",
    "Question",
    "Questionnaire",
    "RiskAssessment",
    "RiskCondition",
    "RiskFacts",
    "RiskModel",
    "RiskRule",
    "assess_risk",
    "default_risk_matrix",
    "risk_facts",
]

RISK_SCALE = Scale.from_labels(["Very high", "High", "Moderate", "Low"], name="risk")
"""ServiceNow's change risk levels; 1 (Very high) is the most severe."""


@functools.cache
def default_risk_matrix() -> PriorityMatrix:
    """Impact (High / Medium / Low) x probability of failure (High / Medium / Low) -> risk,
    after ServiceNow's nine-row ``sn_chg_probability_risk_lookup``."""
    level = Scale.from_labels(["High", "Medium", "Low"], name="impact")
    probability = Scale.from_labels(["High", "Medium", "Low"], name="probability")
    return PriorityMatrix.from_rows(
        [
            ["Very high", "High", "Moderate"],
            ["High", "Moderate", "Low"],
            ["Moderate", "Low", "Low"],
        ],
        impact=level,
        urgency=probability,
        priority=RISK_SCALE,
    )


def _optional_names(value: object) -> frozenset[str] | None:
    return None if value is None else check_names(value, "names")


def _optional_whole(value: object) -> int | None:
    return None if value is None else check_whole(value, "threshold", least=0)


def _optional_bool(_: object, attribute: attrs.Attribute[bool | None], value: object) -> None:
    if value is not None and type(value) is not bool:
        raise ConfigurationError(f"{attribute.name!r} must be true, false or unset, got {value!r}")


@attrs.frozen(kw_only=True)
class RiskFacts:
    """What the rules look at: the change's type, blast radius and window.

    ``criticality`` is that of the most critical impacted service (1 is the most critical;
    ``None`` when no service is impacted).
    """

    type: str
    criticality: int | None = None
    blast_radius: int = 0
    services: frozenset[str] = frozenset()
    outside_maintenance: bool = False
    in_blackout: bool = False


@attrs.frozen(kw_only=True)
class RiskCondition:
    """When a risk rule matches: every given part must hold (``None`` means any).

    ``criticality``: the most critical impacted service is at least this critical (its
    criticality number is at most this); ``min_blast_radius``: at least this many CIs in the
    blast radius.
    """

    types: frozenset[str] | None = attrs.field(default=None, converter=_optional_names)
    criticality: int | None = attrs.field(default=None, converter=_optional_whole)
    min_blast_radius: int | None = attrs.field(default=None, converter=_optional_whole)
    services: frozenset[str] | None = attrs.field(default=None, converter=_optional_names)
    outside_maintenance: bool | None = attrs.field(default=None, validator=_optional_bool)
    in_blackout: bool | None = attrs.field(default=None, validator=_optional_bool)

    def matches(self, facts: RiskFacts) -> bool:
        """Whether ``facts`` meet every part of the condition."""
        if self.types is not None and facts.type not in self.types:
            return False
        if self.criticality is not None and (
            facts.criticality is None or facts.criticality > self.criticality
        ):
            return False
        if self.min_blast_radius is not None and facts.blast_radius < self.min_blast_radius:
            return False
        if self.services is not None and not self.services & facts.services:
            return False
        if self.outside_maintenance is not None and (
            facts.outside_maintenance is not self.outside_maintenance
        ):
            return False
        return self.in_blackout is None or facts.in_blackout is self.in_blackout


def _text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_text(value, attribute.name)


@attrs.frozen(kw_only=True)
class RiskRule:
    """``when`` the condition holds, the risk is ``risk`` (a label or level of the scale)."""

    name: str = attrs.field(validator=_text)
    when: RiskCondition = attrs.field(factory=RiskCondition)
    risk: str = attrs.field(validator=_text)


def _answers(value: object) -> Mapping[str, int]:
    if not isinstance(value, Mapping) or not value:
        raise ConfigurationError(f"a question needs answers {{answer: weight}}, got {value!r}")
    return MappingProxyType(
        {check_text(k, "answer"): check_whole(v, "weight", least=0) for k, v in value.items()}
    )


@attrs.frozen(kw_only=True)
class Question:
    """One question of a risk questionnaire, each answer with its weight."""

    id: str = attrs.field(validator=_text)
    text: str = attrs.field(validator=_text)
    answers: Mapping[str, int] = attrs.field(converter=_answers)


def _questions(value: Iterable[Question]) -> tuple[Question, ...]:
    items = tuple(value)
    if not items or any(not isinstance(q, Question) for q in items):
        raise ConfigurationError(f"a questionnaire needs Question values, got {items!r}")
    ids = [q.id for q in items]
    if len(set(ids)) != len(ids):
        raise ConfigurationError(f"question ids must be unique, got {allowed_list(ids)}")
    return items


def _thresholds(value: Iterable[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    items = tuple((check_whole(s, "score", least=0), check_text(r, "risk")) for s, r in value)
    if not items or items[0][0] != 0:
        raise ConfigurationError(
            f"thresholds must start at score 0 (so every score has a risk), got {items!r}"
        )
    scores = [s for s, _ in items]
    if scores != sorted(set(scores)):
        raise ConfigurationError(f"threshold scores must rise strictly, got {scores!r}")
    return items


@attrs.frozen(kw_only=True)
class Questionnaire:
    """A weighted risk assessment: the answers' weights add up to a score; the risk is that
    of the highest threshold the score reaches (``thresholds`` as ``(min score, risk)``)."""

    questions: tuple[Question, ...] = attrs.field(converter=_questions)
    thresholds: tuple[tuple[int, str], ...] = attrs.field(converter=_thresholds)

    def score(self, answers: Mapping[str, str]) -> int:
        """The total weight of ``answers`` (every question must be answered)."""
        if not isinstance(answers, Mapping):
            raise ValidationError(f"answers must map question ids to answers, got {answers!r}")
        known = {q.id: q for q in self.questions}
        unknown = sorted(set(answers) - set(known), key=str)
        if unknown:
            raise ValidationError(
                f"unknown question(s) {allowed_list(unknown)}; questions: {allowed_list(known)}"
            )
        total = 0
        for question in self.questions:
            answer = answers.get(question.id)
            if answer not in question.answers:
                raise ValidationError(
                    f"question {question.id!r}: answer {answer!r} is not one of "
                    f"{allowed_list(question.answers)}"
                )
            total += question.answers[answer]  # type: ignore[index]
        return total

    def risk(self, answers: Mapping[str, str]) -> tuple[str, int]:
        """The risk label for ``answers`` and the score it came from."""
        score = self.score(answers)
        label = self.thresholds[0][1]
        for least, risk in self.thresholds:
            if score >= least:
                label = risk
        return label, score


@attrs.frozen(kw_only=True)
class RiskAssessment:
    """The change's risk (the most severe engine's) and each engine's result with its reason."""

    risk: Level
    reasons: tuple[str, ...]
    engines: Mapping[str, Level]


def _rules(value: Iterable[RiskRule]) -> tuple[RiskRule, ...]:
    items = tuple(value)
    if any(not isinstance(r, RiskRule) for r in items):
        raise ConfigurationError(f"risk rules must be RiskRule values, got {items!r}")
    return items


@attrs.frozen(kw_only=True)
class RiskModel:
    """The risk engines of a change process: ordered rules, a questionnaire, a matrix.

    Rules are tried in order and the first that matches gives its risk (``default`` when
    none does); the questionnaire runs when answers are given, the matrix when the change
    has an impact and a probability. Every label must exist on ``scale``.
    """

    rules: tuple[RiskRule, ...] = attrs.field(default=(), converter=_rules)
    default: str = "Low"
    questionnaire: Questionnaire | None = None
    matrix: PriorityMatrix | None = None
    scale: Scale = RISK_SCALE

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.scale, Scale):
            raise ConfigurationError(f"'scale' must be a Scale, got {self.scale!r}")
        labels = [self.default, *(r.risk for r in self.rules)]
        if self.questionnaire is not None:
            labels += [r for _, r in self.questionnaire.thresholds]
        for label in labels:
            if label not in self.scale:
                raise ConfigurationError(
                    f"risk {label!r} is not on the risk scale; allowed: "
                    f"{allowed_list(self.scale.labels)}"
                )
        if self.matrix is not None and self.matrix.priority != self.scale:
            raise ConfigurationError("the risk matrix must give levels of the model's scale")

    def assess(
        self,
        facts: RiskFacts,
        *,
        answers: Mapping[str, str] | None = None,
        impact: object = None,
        probability: object = None,
    ) -> RiskAssessment:
        """The most severe risk of every engine that applies, with the reasons."""
        if not isinstance(facts, RiskFacts):
            raise ValidationError(f"'facts' must be RiskFacts, got {facts!r}")
        scale = self.scale
        engines: dict[str, Level] = {}
        reasons: list[str] = []
        rule = next((r for r in self.rules if r.when.matches(facts)), None)
        if rule is None:
            engines["rules"] = scale.resolve(self.default)
            reasons.append(f"rules: no rule matched; default {self.default}")
        else:
            engines["rules"] = scale.resolve(rule.risk)
            reasons.append(f"rules: {rule.name!r} matched; risk {rule.risk}")
        if answers is not None and self.questionnaire is not None:
            label, score = self.questionnaire.risk(answers)
            engines["questionnaire"] = scale.resolve(label)
            reasons.append(f"questionnaire: score {score}; risk {label}")
        if self.matrix is not None and impact is not None and probability is not None:
            level = self.matrix.lookup(impact, probability)  # type: ignore[arg-type]
            engines["matrix"] = level
            reasons.append(
                f"matrix: impact {impact} x probability {probability}; risk {level.label}"
            )
        worst = scale.most_severe_of(engines.values())
        return RiskAssessment(risk=worst, reasons=tuple(reasons), engines=MappingProxyType(engines))


def risk_facts(
    change: Change,
    *,
    cmdb: CMDB | None = None,
    windows: Iterable[ChangeWindow] = (),
) -> RiskFacts:
    """The facts the risk rules see, read from the change, the CMDB and the windows."""
    from itsmcore.changes._change import Change
    from itsmcore.changes._conflicts import planned, window_conflicts
    from itsmcore.changes._windows import check_windows

    if not isinstance(change, Change):
        raise ValidationError(f"expected a Change, got {type(change).__name__}")
    criticality: int | None = None
    radius = 0
    services = change.impacted_services
    if cmdb is not None and change.affected_cis:
        blast = cmdb.blast_radius(sorted(change.affected_cis))
        radius = len(blast.cis)
        services = services | frozenset(s.ci_id for s in blast.services)
        known = [s.criticality for s in blast.services if s.criticality is not None]
        criticality = min(known) if known else None
    outside = blackout = False
    given = check_windows(windows)
    if given and change.planned_start is not None and change.planned_end is not None:
        mine = attrs.evolve(planned(change), services=services)
        kinds = {c.kind for c in window_conflicts(mine, given)}
        outside = "outside_maintenance_window" in kinds
        blackout = "inside_blackout" in kinds
    return RiskFacts(
        type=change.type,
        criticality=criticality,
        blast_radius=radius,
        services=services,
        outside_maintenance=outside,
        in_blackout=blackout,
    )


def assess_risk(
    change: Change,
    model: RiskModel,
    *,
    at: datetime,
    actor: str,
    cmdb: CMDB | None = None,
    windows: Iterable[ChangeWindow] = (),
    answers: Mapping[str, str] | None = None,
) -> Change:
    """Assess the change's risk and record it (``risk``, ``risk_label``, ``risk_reasons``).

    The matrix engine reads the change's ``impact`` and ``probability`` fields.
    """
    if not isinstance(model, RiskModel):
        raise ValidationError(f"'model' must be a RiskModel, got {model!r}")
    facts = risk_facts(change, cmdb=cmdb, windows=windows)
    result = model.assess(
        facts,
        answers=answers,
        impact=change.fields.get("impact"),
        probability=change.fields.get("probability"),
    )
    return change.update(
        {
            "risk": result.risk.value,
            "risk_label": result.risk.label,
            "risk_reasons": result.reasons,
        },
        at=at,
        actor=actor,
    )
