"""Scales: ordering, direction, resolution of values and labels, and their errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import ConfigurationError, UnknownValueError, ValidationError
from itsmcore.priority import Level, MostSevere, Scale
from itsmcore.testing.strategies import priority_scales


def _oracle_rank(scale: Scale, value: int) -> int:
    ascending = sorted(level.value for level in scale.levels)
    index = ascending.index(value)
    return index if scale.most_severe is MostSevere.LOWEST else len(ascending) - 1 - index


def test_levels_are_kept_in_ascending_value_order() -> None:
    scale = Scale(name="impact", levels=[Level(3, "Low"), Level(1, "High"), Level(2, "Medium")])
    assert scale.values == (1, 2, 3)
    assert scale.labels == ("High", "Medium", "Low")


def test_resolve_by_value_label_any_case_and_level() -> None:
    scale = Scale.from_mapping({1: "High", 2: "Medium", 3: "Low"}, name="impact")
    assert scale.resolve(2) == Level(2, "Medium")
    assert scale.resolve("mEdIuM") == Level(2, "Medium")
    assert scale.resolve(" low ") == Level(3, "Low")
    assert scale.resolve(Level(1, "High")) == Level(1, "High")
    assert "medium" in scale
    assert 7 not in scale


@pytest.mark.parametrize("bad", [4, "Huge", True, Level(1, "Other"), 1.0, None])
def test_unknown_keys_name_the_valid_values_and_labels(bad: object) -> None:
    scale = Scale.from_mapping({1: "High", 2: "Medium", 3: "Low"}, name="impact")
    with pytest.raises(UnknownValueError) as info:
        scale.resolve(bad)  # type: ignore[arg-type]
    message = str(info.value)
    assert "impact" in message
    assert "1, 2, 3" in message
    assert "'High', 'Medium', 'Low'" in message


def test_direction_decides_severity() -> None:
    glpi_like = Scale.from_labels(
        ["Very low", "Low", "Medium", "High", "Very high"],
        name="urgency",
        most_severe=MostSevere.HIGHEST,
    )
    assert glpi_like.most_severe_level == Level(5, "Very high")
    assert glpi_like.least_severe_level == Level(1, "Very low")
    assert glpi_like.more_severe(5, 4)
    assert glpi_like.more_severe("low", "very low")
    assert not glpi_like.more_severe("very low", "low")
    assert glpi_like.most_severe_of(["low", 3, "very low"]) == Level(3, "Medium")


@given(priority_scales())
def test_rank_matches_the_direction(scale: Scale) -> None:
    for level in scale.levels:
        assert scale.rank(level.value) == _oracle_rank(scale, level.value)
    assert [lv.value for lv in scale.by_severity()] == sorted(
        scale.values, key=lambda v: _oracle_rank(scale, v)
    )


@given(priority_scales(), st.data())
def test_severity_comparisons_agree_with_ranks(scale: Scale, data: st.DataObject) -> None:
    a = data.draw(st.sampled_from(scale.levels))
    b = data.draw(st.sampled_from(scale.levels))
    ra, rb = _oracle_rank(scale, a.value), _oracle_rank(scale, b.value)
    assert scale.more_severe(a, b) == (ra < rb)
    assert scale.at_least_as_severe(a.label, b.label) == (ra <= rb)


@pytest.mark.parametrize(
    "levels",
    [
        [],
        [Level(1, "A"), Level(1, "B")],
        [Level(1, "High"), Level(2, "HIGH")],
    ],
)
def test_inconsistent_scales_are_rejected(levels: list[Level]) -> None:
    with pytest.raises(ConfigurationError):
        Scale(name="impact", levels=levels)


@pytest.mark.parametrize("label", ["", " padded", "two\nlines", "a|b"])
def test_labels_must_be_single_line_text(label: str) -> None:
    with pytest.raises(ValidationError):
        Level(1, label)


def test_level_values_must_be_ints() -> None:
    with pytest.raises(ValidationError):
        Level(True, "Yes")
    with pytest.raises(ValidationError):
        Level(1.5, "Half")  # type: ignore[arg-type]


def test_most_severe_of_nothing_is_an_error() -> None:
    scale = Scale.from_labels(["A"], name="impact")
    with pytest.raises(ValidationError):
        scale.most_severe_of([])
