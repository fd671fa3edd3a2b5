"""The persistent history behaves like an immutable list, against a plain-list oracle."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import ValidationError
from itsmcore.workflow import Event, History

AT = pendulum.datetime(2026, 1, 1, tz="UTC")


def event(seq: int, text: str = "") -> Event:
    return Event(seq=seq, at=AT, actor="a", kind="note", source="s", target="s", note=text)


@given(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=15))
def test_branches_share_nothing_visible(branch_points: list[int]) -> None:
    """Appending to an old history never shows up in newer or sibling histories."""
    versions: list[History] = [History()]
    oracle: list[list[Event]] = [[]]
    for step, point in enumerate(branch_points):
        base = point % len(versions)
        versions[base].events()  # caching must not leak either
        seq = len(oracle[base]) + 1
        new = versions[base].append(event(seq, str(step)))
        versions.append(new)
        oracle.append([*oracle[base], event(seq, str(step))])
    for history, expected in zip(versions, oracle, strict=True):
        assert list(history) == expected
        assert len(history) == len(expected)
        assert list(reversed(history)) == expected[::-1]
        assert history.last == (expected[-1] if expected else None)
        if expected:
            assert history[-1] == expected[-1]
            assert history[0:2] == tuple(expected[0:2])


def test_equality_and_construction() -> None:
    events = [event(1), event(2)]
    assert History.of(events) == History().append(events[0]).append(events[1])
    assert History.of(events) != History.of(events[:1])
    assert repr(History.of(events)) == "History(2 events)"
    assert event(1).changed("x") is False


def test_a_long_history_appends_in_constant_time() -> None:
    history = History()
    for i in range(100_000):
        history = history.append(event(i + 1, str(i)))
    assert len(history) == 100_000
    assert history[0].note == "0"
    assert history[-1].note == "99999"


def test_append_checks_the_sequence_number() -> None:
    with pytest.raises(ValidationError, match="event seq 3 does not follow a history of 1"):
        History.of([event(1)]).append(event(3))


def test_copies_are_the_history_itself_and_pickling_round_trips() -> None:
    import copy
    import pickle

    first = Event(
        seq=1, at=AT, actor="a", kind="update", source="s", target="s", changes={"u": (2, 1)}
    )
    long = History.of([first] + [event(i + 2, f"note {i}") for i in range(4999)])
    assert copy.copy(long) is long
    assert copy.deepcopy(long) is long  # never walks the 5000-deep cell chain
    again = pickle.loads(pickle.dumps(long))  # noqa: S301 - our own data
    assert again == long
    assert again.events()[-1].note == "note 4998"
    assert dict(again.events()[0].changes) == {"u": (2, 1)}
