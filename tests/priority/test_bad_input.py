"""Every public priority entry point refuses bad input with an ItsmError naming the value.

One test per family of bad input (the issue's list): ``None``, bools posing as ints, text
where a matrix or scale is expected, lists where a label is expected, whitespace labels,
oversized input. Each case also checks that nothing is left half-built: a shared preset is
unchanged afterwards.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from itsmcore.errors import ItsmError
from itsmcore.priority import (
    Cell,
    ImpactAssessment,
    ImpactFacts,
    ImpactRule,
    ImpactRules,
    Level,
    PriorityMatrix,
    Scale,
    preset,
    render_matrix,
)

SN = preset("servicenow")
SCALES = {"impact": SN.impact, "urgency": SN.urgency, "priority": SN.priority}
ROWS = [[1, 2, 3], [2, 3, 4], [3, 4, 5]]
RULES = ImpactRules(scale=SN.impact, rules=[ImpactRule(name="vip", impact=2, vip_caller=True)])
BEFORE = SN.rows()

Case = Callable[[], object]


def _with_bool_key() -> dict[tuple[int, int], int]:
    cells = {(True, 1): 1}  # (True, 1) == (1, 1): a dict keeps the key first inserted
    cells.update((pair, p) for pair, p in SN.cells.items() if pair != (1, 1))
    return cells


def _refused(case: Case, *names: str) -> None:
    with pytest.raises(ItsmError) as info:
        case()
    message = str(info.value)
    for name in names:
        assert name in message, f"{name!r} not named in: {message}"
    assert preset("servicenow").rows() == BEFORE


NONE_CASES: dict[str, tuple[Case, str]] = {
    "Level value": (lambda: Level(None, "High"), "None"),  # type: ignore[arg-type]
    "Level label": (lambda: Level(1, None), "None"),  # type: ignore[arg-type]
    "Scale name": (lambda: Scale(name=None, levels=[Level(1, "a")]), "None"),  # type: ignore[arg-type]
    "Scale levels": (lambda: Scale(name="x", levels=None), "None"),  # type: ignore[arg-type]
    "Scale direction": (
        lambda: Scale(name="x", levels=[Level(1, "a")], most_severe=None),  # type: ignore[arg-type]
        "None",
    ),
    "Scale.from_mapping": (lambda: Scale.from_mapping(None, name="x"), "None"),  # type: ignore[arg-type]
    "Scale.from_labels": (lambda: Scale.from_labels(None, name="x"), "None"),  # type: ignore[arg-type]
    "from_labels start": (
        lambda: Scale.from_labels(["a"], name="x", start=None),  # type: ignore[arg-type]
        "None",
    ),
    "resolve": (lambda: SN.impact.resolve(None), "None"),  # type: ignore[arg-type]
    "most_severe_of": (lambda: SN.impact.most_severe_of(None), "None"),  # type: ignore[arg-type]
    "matrix cells": (lambda: PriorityMatrix(**SCALES, cells=None), "None"),  # type: ignore[arg-type]
    "matrix scale": (
        lambda: PriorityMatrix(impact=None, urgency=SN.urgency, priority=SN.priority, cells={}),  # type: ignore[arg-type]
        "None",
    ),
    "from_rows rows": (lambda: PriorityMatrix.from_rows(None, **SCALES), "None"),  # type: ignore[arg-type]
    "from_rows scale": (
        lambda: PriorityMatrix.from_rows(
            ROWS, impact=None, urgency=SN.urgency, priority=SN.priority
        ),  # type: ignore[arg-type]
        "None",
    ),
    "from_mapping cells": (lambda: PriorityMatrix.from_mapping(None, **SCALES), "None"),  # type: ignore[arg-type]
    "from_mapping monotone": (
        lambda: PriorityMatrix.from_mapping(dict(SN.cells), **SCALES, monotone=None),  # type: ignore[arg-type]
        "None",
    ),
    "lookup": (lambda: SN.lookup(None, 1), "None"),  # type: ignore[arg-type]
    "pairs_for": (lambda: SN.pairs_for(None), "None"),  # type: ignore[arg-type]
    "render_matrix": (lambda: render_matrix(None), "None"),  # type: ignore[arg-type]
    "preset": (lambda: preset(None), "None"),  # type: ignore[arg-type]
    "Cell": (lambda: Cell(None, None, None), "None"),  # type: ignore[arg-type]
    "ImpactFacts users": (lambda: ImpactFacts(affected_users=None), "None"),  # type: ignore[arg-type]
    "ImpactFacts state": (lambda: ImpactFacts(service_state=None), "None"),  # type: ignore[arg-type]
    "ImpactRule name": (lambda: ImpactRule(name=None, impact=1, vip_caller=True), "None"),  # type: ignore[arg-type]
    "ImpactRule impact": (lambda: ImpactRule(name="x", impact=None, vip_caller=True), "None"),  # type: ignore[arg-type]
    "ImpactRules scale": (lambda: ImpactRules(scale=None, rules=[]), "None"),  # type: ignore[arg-type]
    "ImpactRules rules": (lambda: ImpactRules(scale=SN.impact, rules=None), "None"),  # type: ignore[arg-type]
    "ImpactRules mode": (lambda: ImpactRules(scale=SN.impact, rules=[], mode=None), "None"),  # type: ignore[arg-type]
    "assess": (lambda: RULES.assess(None), "None"),  # type: ignore[arg-type]
    "assess_worst": (lambda: RULES.assess_worst(None), "None"),  # type: ignore[arg-type]
    "ImpactAssessment": (
        lambda: ImpactAssessment(level=None, rule=None, matched=()),  # type: ignore[arg-type]
        "None",
    ),
}


@pytest.mark.parametrize("name", NONE_CASES)
def test_none_is_refused_everywhere(name: str) -> None:
    case, shown = NONE_CASES[name]
    _refused(case, shown)


BOOL_CASES: dict[str, Case] = {
    "Level value": lambda: Level(True, "High"),
    "from_mapping key": lambda: Scale.from_mapping({True: "High"}, name="x"),
    "from_labels start": lambda: Scale.from_labels(["a"], name="x", start=True),
    "resolve": lambda: SN.impact.resolve(True),
    "lookup": lambda: SN.lookup(True, 1),
    "cell key": lambda: PriorityMatrix(**SCALES, cells=_with_bool_key()),
    "cell value": lambda: PriorityMatrix(**SCALES, cells={**SN.cells, (1, 1): True}),
    "row entry": lambda: PriorityMatrix.from_rows([[True, 2, 3], [2, 3, 4], [3, 4, 5]], **SCALES),
    "monotone": lambda: PriorityMatrix(**SCALES, cells=SN.cells, monotone=1),  # type: ignore[arg-type]
    "render values": lambda: SN.render(values=0),  # type: ignore[arg-type]
    "affected users": lambda: ImpactFacts(affected_users=True),
    "vip caller": lambda: ImpactFacts(vip_caller=1),  # type: ignore[arg-type]
    "criticality": lambda: ImpactFacts(service_criticality=True),
    "rule impact": lambda: ImpactRule(name="x", impact=True, vip_caller=True),
    "rule threshold": lambda: ImpactRule(name="x", impact=1, min_affected_users=True),
    "rule vip": lambda: ImpactRule(name="x", impact=1, vip_caller=1),  # type: ignore[arg-type]
    "rule criticality": lambda: ImpactRule(name="x", impact=1, service_criticality=[False]),
    "rules default": lambda: ImpactRules(scale=SN.impact, rules=[], default=True),
}


@pytest.mark.parametrize("name", BOOL_CASES)
def test_bools_never_pose_as_ints(name: str) -> None:
    _refused(BOOL_CASES[name])
    with pytest.raises(ItsmError, match=r"True|False|bool"):
        BOOL_CASES[name]()


TEXT_CASES: dict[str, tuple[Case, str]] = {
    "matrix impact": (
        lambda: PriorityMatrix(impact="impact", urgency=SN.urgency, priority=SN.priority, cells={}),  # type: ignore[arg-type]
        "'impact'",
    ),
    "from_rows scale": (
        lambda: PriorityMatrix.from_rows(
            ROWS, impact="High", urgency=SN.urgency, priority=SN.priority
        ),  # type: ignore[arg-type]
        "'High'",
    ),
    "from_mapping scale": (
        lambda: PriorityMatrix.from_mapping(
            {}, impact=SN.impact, urgency="u", priority=SN.priority
        ),  # type: ignore[arg-type]
        "'u'",
    ),
    "from_rows rows": (lambda: PriorityMatrix.from_rows("123", **SCALES), "str"),  # type: ignore[arg-type]
    "cells": (lambda: PriorityMatrix(**SCALES, cells="cells"), "'cells'"),  # type: ignore[arg-type]
    "render_matrix": (lambda: render_matrix("servicenow"), "'servicenow'"),  # type: ignore[arg-type]
    "scale levels": (lambda: Scale(name="x", levels="High"), "'High'"),  # type: ignore[arg-type]
    "from_labels": (lambda: Scale.from_labels("High", name="x"), "'High'"),
    "from_mapping": (lambda: Scale.from_mapping("High", name="x"), "'High'"),  # type: ignore[arg-type]
    "most_severe_of": (lambda: SN.impact.most_severe_of("High"), "'High'"),
    "rules scale": (lambda: ImpactRules(scale="impact", rules=[]), "str"),  # type: ignore[arg-type]
    "rules": (lambda: ImpactRules(scale=SN.impact, rules="vip"), "'vip'"),  # type: ignore[arg-type]
    "rule states": (lambda: ImpactRule(name="x", impact=1, service_state="down"), "'down'"),
    "rule criticality": (
        lambda: ImpactRule(name="x", impact=1, service_criticality="critical"),
        "'critical'",
    ),
    "assess": (lambda: RULES.assess("vip"), "'vip'"),  # type: ignore[arg-type]
    "assess_worst": (lambda: RULES.assess_worst("vip"), "'vip'"),  # type: ignore[arg-type]
    "matched": (lambda: ImpactAssessment(level=Level(1, "a"), rule=None, matched="ab"), "'ab'"),
}


@pytest.mark.parametrize("name", TEXT_CASES)
def test_text_is_not_a_matrix_scale_or_list(name: str) -> None:
    case, shown = TEXT_CASES[name]
    _refused(case, shown)


LIST_CASES: dict[str, Case] = {
    "Level label": lambda: Level(1, ["High"]),  # type: ignore[arg-type]
    "Scale name": lambda: Scale(name=["impact"], levels=[Level(1, "a")]),  # type: ignore[arg-type]
    "from_labels entry": lambda: Scale.from_labels([["High"]], name="x"),
    "resolve": lambda: SN.impact.resolve(["High"]),  # type: ignore[arg-type]
    "lookup": lambda: SN.lookup(["High"], "High"),  # type: ignore[arg-type]
    "pairs_for": lambda: SN.pairs_for(["High"]),  # type: ignore[arg-type]
    "preset": lambda: preset(["servicenow"]),  # type: ignore[arg-type]
    "row entry": lambda: PriorityMatrix.from_rows([[[1], 2, 3], [2, 3, 4], [3, 4, 5]], **SCALES),  # type: ignore[list-item]
    "criticality": lambda: ImpactFacts(service_criticality=["critical"]),  # type: ignore[arg-type]
    "rule name": lambda: ImpactRule(name=["vip"], impact=1, vip_caller=True),  # type: ignore[arg-type]
    "rule impact": lambda: ImpactRule(name="vip", impact=["High"], vip_caller=True),  # type: ignore[arg-type]
    "rules default": lambda: ImpactRules(scale=SN.impact, rules=[], default=["Low"]),  # type: ignore[arg-type]
    "rules mode": lambda: ImpactRules(scale=SN.impact, rules=[], mode=["first-match"]),  # type: ignore[arg-type]
    "assessment rule": lambda: ImpactAssessment(level=Level(1, "a"), rule=["r"], matched=()),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("name", LIST_CASES)
def test_lists_are_not_labels(name: str) -> None:
    _refused(LIST_CASES[name], "[")


BLANK_CASES: dict[str, Case] = {
    "Level label": lambda: Level(1, "   "),
    "Scale name": lambda: Scale(name=" \t", levels=[Level(1, "a")]),
    "from_labels": lambda: Scale.from_labels(["High", "  "], name="x"),
    "resolve": lambda: SN.impact.resolve("   "),
    "lookup": lambda: SN.lookup("  ", "High"),
    "preset": lambda: preset("   "),
    "criticality": lambda: ImpactFacts(service_criticality="  "),
    "rule name": lambda: ImpactRule(name="  ", impact=1, vip_caller=True),
    "rule impact": lambda: ImpactRule(name="vip", impact="  ", vip_caller=True),
    "rule criticality": lambda: ImpactRule(name="x", impact=1, service_criticality=["  "]),
    "rules default": lambda: ImpactRules(scale=SN.impact, rules=[], default="  "),
    "assessment rule": lambda: ImpactAssessment(level=Level(1, "a"), rule=" ", matched=()),
}


@pytest.mark.parametrize("name", BLANK_CASES)
def test_whitespace_only_labels_and_names_are_refused(name: str) -> None:
    _refused(BLANK_CASES[name], "' ")


def _endless_labels() -> object:
    return (f"L{i}" for i in itertools.count())


OVERSIZED_CASES: dict[str, Case] = {
    "endless labels": lambda: Scale.from_labels(_endless_labels(), name="x"),  # type: ignore[arg-type]
    "endless levels": lambda: Scale(
        name="x",
        levels=(Level(i, f"L{i}") for i in itertools.count()),  # type: ignore[arg-type]
    ),
    "many levels": lambda: Scale.from_mapping({i: f"L{i}" for i in range(1_000)}, name="x"),
    "long label": lambda: Level(1, "x" * 10_000),
    "long scale name": lambda: Scale(name="x" * 10_000, levels=[Level(1, "a")]),
    "long rule name": lambda: ImpactRule(name="r" * 10_000, impact=1, vip_caller=True),
    "endless rules": lambda: ImpactRules(
        scale=SN.impact,
        rules=(ImpactRule(name=f"r{i}", impact=1, vip_caller=True) for i in itertools.count()),
    ),
    "endless states": lambda: ImpactRule(
        name="x", impact=1, service_state=itertools.cycle(["down"])
    ),
    "deep criticality": lambda: ImpactRule(
        name="x",
        impact=1,
        service_criticality=[_nested(5_000)],  # type: ignore[list-item]
    ),
}


def _nested(depth: int) -> object:
    value: object = "critical"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("name", OVERSIZED_CASES)
def test_oversized_or_deeply_nested_input_is_refused_promptly(name: str) -> None:
    _refused(OVERSIZED_CASES[name])
