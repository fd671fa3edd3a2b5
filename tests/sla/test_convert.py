"""The fast input conversions and the UTC result builder agree exactly with the plain formulas."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itsmcore.errors import ConfigurationError, NaiveDatetimeError, ValidationError
from itsmcore.sla import BusinessCalendar, _convert, calendar
from itsmcore.sla._convert import duration_micros, micros

ONE_US = timedelta(microseconds=1)
EPOCH_NAIVE = datetime(1970, 1, 1)
# Zones with unusual rules: negative DST (Dublin), 30-minute DST (Lord Howe), a skipped day
# (Apia), DST at midnight (Sao Paulo, historical), many changes (Casablanca), none (Kolkata).
ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Europe/Dublin",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "America/Sao_Paulo",
    "Africa/Casablanca",
    "Asia/Kolkata",
    "UTC",
]

# Anywhere, or near the usual DST changes (small hours of the spring and autumn months).
near_changes = st.builds(
    datetime,
    st.integers(1970, 2040),
    st.sampled_from([2, 3, 4, 9, 10, 11]),
    st.integers(1, 28),
    st.integers(0, 3),
    st.integers(0, 59),
    st.integers(0, 59),
    st.integers(0, 999_999),
)
walls = st.one_of(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)), near_changes
)


def expected_micros(value: datetime) -> int:
    """From the definition: the wall clock minus the zone's offset for it."""
    offset = value.utcoffset()
    assert offset is not None
    naive = datetime.replace(value, tzinfo=None)
    return (datetime.__sub__(naive, EPOCH_NAIVE) - offset) // ONE_US


@given(walls, st.sampled_from(ZONES), st.sampled_from([0, 1]))
def test_pendulum_and_zoneinfo_inputs_convert_exactly(wall: datetime, zone: str, fold: int) -> None:
    fields = (wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second)
    stdlib = datetime(*fields, wall.microsecond, tzinfo=zoneinfo.ZoneInfo(zone), fold=fold)
    pend = pendulum.DateTime(*fields, wall.microsecond, tzinfo=pendulum.timezone(zone), fold=fold)
    assert micros(stdlib, "at") == expected_micros(stdlib)
    assert micros(pend, "at") == expected_micros(pend)
    assert micros(pend, "at") == micros(stdlib, "at")  # the same zone data, the same instant


@pytest.mark.parametrize(
    ("wall", "fold", "utc"),
    [
        (datetime(2025, 11, 2, 1, 30), 0, datetime(2025, 11, 2, 5, 30)),  # repeated hour: EDT
        (datetime(2025, 11, 2, 1, 30), 1, datetime(2025, 11, 2, 6, 30)),  # repeated hour: EST
        (datetime(2025, 3, 9, 2, 30), 0, datetime(2025, 3, 9, 7, 30)),  # gap: offset before
        (datetime(2025, 3, 9, 2, 30), 1, datetime(2025, 3, 9, 6, 30)),  # gap: offset after
    ],
)
def test_fold_decides_in_the_repeated_hour_and_the_gap(
    wall: datetime, fold: int, utc: datetime
) -> None:
    expected = (utc - EPOCH_NAIVE) // ONE_US
    for zone in (zoneinfo.ZoneInfo("America/New_York"), pendulum.timezone("America/New_York")):
        for kind in (datetime, pendulum.DateTime):
            value = kind(*wall.timetuple()[:6], tzinfo=zone, fold=fold)
            assert micros(value, "at") == expected


class _Shifted(datetime):
    """A datetime subclass whose ``hour`` lies: zoneinfo reads it, so the fast path must not."""

    @property
    def hour(self) -> int:
        return (int(datetime.hour.__get__(self)) + 1) % 24


class _Relabelled(datetime):
    """A datetime subclass whose ``tzinfo`` property is not the stored one."""

    @property
    def tzinfo(self) -> tzinfo | None:
        return zoneinfo.ZoneInfo("Asia/Kolkata")  # datetime arithmetic uses the stored one


class _Half(tzinfo):
    """A hand-written tzinfo (not a ZoneInfo): +05:30, with a name."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=5, minutes=30)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return "+05:30"


def test_other_datetime_classes_and_tzinfos_take_the_general_path() -> None:
    values: list[datetime] = [
        _Shifted(2025, 3, 9, 1, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
        datetime(2025, 3, 9, 1, 30, tzinfo=_Half()),
        _Relabelled(2025, 3, 9, 1, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
        datetime(2025, 3, 9, 1, 30, tzinfo=timezone(timedelta(hours=-3))),
        datetime(2025, 3, 9, 1, 30, tzinfo=UTC),
        pendulum.datetime(2025, 3, 9, 1, 30, tz=pendulum.FixedTimezone(3600)),
    ]
    for value in values:
        general = datetime.__sub__(value, datetime(1970, 1, 1, tzinfo=UTC))
        assert micros(value, "at") == general // ONE_US
    assert _convert._plain_types[_Shifted] is False
    assert _convert._zone_types[_Half] is False
    assert _convert._plain_types[_Relabelled] is False
    micros(pendulum.datetime(2025, 3, 9, 1, 30, tz="Europe/Berlin"), "at")
    assert _convert._plain_types[pendulum.DateTime] is True  # pendulum does take the fast path
    assert _convert._zone_types[type(pendulum.timezone("Europe/Berlin"))] is True


def test_non_instants_are_the_librarys_errors() -> None:
    with pytest.raises(NaiveDatetimeError):
        micros(datetime(2025, 1, 1), "at")
    for bad in (date(2025, 1, 1), "2025-01-01", None, time(9, tzinfo=zoneinfo.ZoneInfo("UTC"))):
        with pytest.raises(ValidationError, match="'at'"):
            micros(bad, "at")


@given(st.integers(0, 10**15))
def test_durations_convert_the_same_when_remembered(us: int) -> None:
    value = timedelta(microseconds=us)
    assert duration_micros(value) == us
    assert duration_micros(timedelta(microseconds=us)) == us  # now from the memo
    assert duration_micros(us / 10**6 if us % 10**6 == 0 else us // 10**6) == us // 10**6 * 10**6


def test_negative_durations_are_rejected_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValidationError, match="negative"):
            duration_micros(timedelta(seconds=-1))
    assert timedelta(seconds=-1) not in _convert._durations


def test_the_duration_memo_stays_bounded() -> None:
    for us in range(_convert._DURATIONS_KEPT + 10):
        assert duration_micros(timedelta(microseconds=us)) == us
    assert len(_convert._durations) <= _convert._DURATIONS_KEPT


EPOCH_P = pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC)
instants = st.integers(
    (datetime(1, 1, 1) - EPOCH_NAIVE) // ONE_US,
    (datetime(9999, 12, 31, 23, 59) - EPOCH_NAIVE) // ONE_US,
)


@given(instants)
def test_results_are_what_epoch_plus_timedelta_gives(us: int) -> None:
    built = calendar._utc(us)
    plain = datetime.__add__(EPOCH_P, timedelta(microseconds=us))
    assert type(built) is pendulum.DateTime
    assert built == plain
    assert built.isoformat() == plain.isoformat()
    assert built.tzinfo is plain.tzinfo
    assert built.fold == plain.fold == 0
    if 2 <= built.year <= 9998:  # pendulum itself overflows converting the extreme years
        assert built.in_timezone("Europe/Berlin") == plain.in_timezone("Europe/Berlin")


def test_the_day_memo_stays_bounded() -> None:
    day = 86_400 * 10**6
    for n in range(calendar._DATES_KEPT + 10):
        us = n * day + 12_345
        assert calendar._utc(us) == datetime.__add__(EPOCH_P, timedelta(microseconds=us))
    assert len(calendar._dates) <= calendar._DATES_KEPT


def test_a_used_calendar_answers_like_a_fresh_one() -> None:
    def make() -> BusinessCalendar:
        return BusinessCalendar(zone="America/New_York", schedule={"daily": "00:30-03:00"})

    used = make()
    starts = [
        pendulum.DateTime(2025, 11, 2, 1, 30, tzinfo=pendulum.timezone("America/New_York"), fold=f)
        for f in (0, 1)
    ] + [
        datetime(2025, 3, 9, 2, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"), fold=f)
        for f in (0, 1)
    ]
    for start in starts:
        for hours in (0, 1, 7):
            duration = timedelta(hours=hours)
            assert used.add(start, duration) == make().add(start, duration)
            assert used.between(start, used.add(start, duration)) == duration
            assert used.is_open(start) == make().is_open(start)


def test_a_calendar_that_never_opens_still_answers_the_questions_that_have_answers() -> None:
    never = BusinessCalendar(zone="UTC", schedule={})
    at = datetime(2025, 3, 3, 9, tzinfo=UTC)
    for _ in range(2):  # the second time round, nothing cached may change the answers
        assert not never.is_open(at)
        assert never.between(at, at + timedelta(days=30)) == timedelta(0)
        with pytest.raises(ConfigurationError, match="no open time"):
            never.add(at, timedelta(hours=1))
        with pytest.raises(ConfigurationError, match="no open time"):
            never.next_open(at)
