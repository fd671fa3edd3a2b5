"""Data forms of the changes package's values (registered with :mod:`itsmcore.data`).

Change records themselves are records (the workflow package's ``record`` form); these are the
definitions around them: approval policies, delegations, templates, risk rules and
questionnaires, planned changes and conflicts. A calendar inside a window and a matrix
inside a risk model use their own packages' forms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from itsmcore.changes._approvals import (
    ApprovalPolicy,
    Delegation,
    PolicyCondition,
    PolicyRule,
    Stage,
)
from itsmcore.changes._change import ChangeTemplate
from itsmcore.changes._conflicts import Conflict, PlannedChange
from itsmcore.changes._risk import (
    Question,
    Questionnaire,
    RiskCondition,
    RiskModel,
    RiskRule,
)
from itsmcore.changes._windows import ChangeWindow
from itsmcore.data._read import at_index, at_key, expect_list, expect_mapping, only_keys
from itsmcore.data._registry import register
from itsmcore.data._values import instant_from_data, instant_to_data
from itsmcore.errors import DataError, ItsmError

__all__: list[str] = []

Plain = dict[str, Any]


def _plain(value: object) -> Any:
    """A field value as JSON-safe data: sets sorted into lists, mappings as dicts."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _attrs_form(
    cls: type,
    *,
    instants: tuple[str, ...] = (),
    nested: Mapping[str, Callable[[object, str], object]] | None = None,
    out: Mapping[str, Callable[[Any], Any]] | None = None,
) -> tuple[Callable[[Any], Plain], Callable[[object, str], Any]]:
    """Unstructure / structure hooks for a keyword-only attrs value class.

    Unset optional attributes (``None`` or their default) are left out of the data.
    """
    fields = attrs.fields(cls)
    names = tuple(f.name for f in fields)
    required = tuple(f.name for f in fields if f.default is attrs.NOTHING)
    readers = dict(nested or {})
    writers = dict(out or {})

    def unstructure(value: Any) -> Plain:
        data: Plain = {}
        for field in fields:
            item = getattr(value, field.name)
            if field.default is not attrs.NOTHING and item == _default(field):
                continue
            if field.name in writers:
                data[field.name] = writers[field.name](item)
            elif field.name in instants:
                data[field.name] = instant_to_data(item)
            else:
                data[field.name] = _plain(item)
        return data

    def structure(body: object, path: str) -> Any:
        data = only_keys(body, path, names, required=required)
        kwargs: dict[str, object] = {}
        for name, item in data.items():
            where = at_key(path, name)
            if name in readers:
                kwargs[name] = readers[name](item, where)
            elif name in instants:
                kwargs[name] = instant_from_data(item, where)
            elif isinstance(item, list):
                kwargs[name] = tuple(item)
            else:
                kwargs[name] = item
        try:
            return cls(**kwargs)
        except ItsmError as error:
            raise DataError(str(error), path=path) from None
        except (TypeError, ValueError) as error:
            raise DataError(f"not a valid {cls.__name__}: {error}", path=path) from None

    return unstructure, structure


def _default(field: attrs.Attribute[Any]) -> object:
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()  # type: ignore[union-attr]
    return default


def _items(read: Callable[[object, str], object]) -> Callable[[object, str], tuple[object, ...]]:
    def structure(body: object, path: str) -> tuple[object, ...]:
        return tuple(
            read(item, at_index(path, i)) for i, item in enumerate(expect_list(body, path))
        )

    return structure


def _pairs(body: object, path: str) -> tuple[tuple[object, object], ...]:
    out = []
    for i, item in enumerate(expect_list(body, path)):
        pair = expect_list(item, at_index(path, i))
        if len(pair) != 2:
            raise DataError("expected [score, risk]", path=at_index(path, i))
        out.append((pair[0], pair[1]))
    return tuple(out)


def _answers(body: object, path: str) -> Mapping[str, object]:
    return expect_mapping(body, path)


def _sub(cls: type) -> Callable[[object, str], object]:
    from itsmcore.data import structure

    def read(body: object, path: str) -> object:
        return structure(body, cls, path=path)

    return read


def _sub_out(value: object) -> object:
    from itsmcore.data import unstructure

    return unstructure(value)


def _register_all() -> None:
    stage = _attrs_form(Stage)
    register(Stage, "change-stage", unstructure=stage[0], structure=stage[1])
    condition = _attrs_form(PolicyCondition)
    register(
        PolicyCondition, "change-policy-condition", unstructure=condition[0], structure=condition[1]
    )
    rule = _attrs_form(
        PolicyRule,
        nested={"when": condition[1], "stages": _items(stage[1])},
        out={"when": condition[0], "stages": lambda v: [stage[0](s) for s in v]},
    )
    register(PolicyRule, "change-policy-rule", unstructure=rule[0], structure=rule[1])
    policy = _attrs_form(
        ApprovalPolicy,
        nested={"rules": _items(rule[1])},
        out={"rules": lambda v: [rule[0](r) for r in v]},
    )
    register(ApprovalPolicy, "change-approval-policy", unstructure=policy[0], structure=policy[1])
    delegation = _attrs_form(Delegation, instants=("start", "end"))
    register(Delegation, "change-delegation", unstructure=delegation[0], structure=delegation[1])
    template = _attrs_form(ChangeTemplate)
    register(ChangeTemplate, "change-template", unstructure=template[0], structure=template[1])
    plannedchange = _attrs_form(PlannedChange, instants=("start", "end"))
    register(
        PlannedChange, "planned-change", unstructure=plannedchange[0], structure=plannedchange[1]
    )
    conflict = _attrs_form(Conflict)
    register(Conflict, "change-conflict", unstructure=conflict[0], structure=conflict[1])
    risk_condition = _attrs_form(RiskCondition)
    register(
        RiskCondition, "risk-condition", unstructure=risk_condition[0], structure=risk_condition[1]
    )
    risk_rule = _attrs_form(
        RiskRule, nested={"when": risk_condition[1]}, out={"when": risk_condition[0]}
    )
    register(RiskRule, "risk-rule", unstructure=risk_rule[0], structure=risk_rule[1])
    question = _attrs_form(Question, nested={"answers": _answers})
    register(Question, "risk-question", unstructure=question[0], structure=question[1])
    questionnaire = _attrs_form(
        Questionnaire,
        nested={"questions": _items(question[1]), "thresholds": _pairs},
        out={"questions": lambda v: [question[0](q) for q in v]},
    )
    register(
        Questionnaire,
        "risk-questionnaire",
        unstructure=questionnaire[0],
        structure=questionnaire[1],
    )
    from itsmcore.priority import PriorityMatrix, Scale
    from itsmcore.sla import BusinessCalendar

    model = _attrs_form(
        RiskModel,
        nested={
            "rules": _items(risk_rule[1]),
            "questionnaire": questionnaire[1],
            "matrix": _sub(PriorityMatrix),
            "scale": _sub(Scale),
        },
        out={
            "rules": lambda v: [risk_rule[0](r) for r in v],
            "questionnaire": questionnaire[0],
            "matrix": _sub_out,
            "scale": _sub_out,
        },
    )
    register(RiskModel, "risk-model", unstructure=model[0], structure=model[1])
    window = _attrs_form(
        ChangeWindow,
        nested={"calendar": _sub(BusinessCalendar)},
        out={"calendar": _sub_out},
    )
    register(ChangeWindow, "change-window", unstructure=window[0], structure=window[1])


_register_all()
