"""One calendar shared by many threads answers exactly as a calendar used by one thread does.

The queries jump between years 1990-2060 in a different random order in every thread, so the
threads grow the interval index and replace its span under each other's feet; a tiny switch
interval makes the interpreter interleave them often.
"""

from __future__ import annotations

import random
import sys
import threading
from datetime import UTC, datetime, timedelta

from itsmcore.sla import BusinessCalendar, RecurringHoliday

THREADS = 8
QUERIES = 400
FIRST_YEAR, LAST_YEAR = 1990, 2060

Query = tuple[str, datetime, datetime, timedelta]  # kind, instant, later instant, duration
KINDS = ("is_open", "add", "subtract", "between", "next_close", "open_intervals")


def make_calendar() -> BusinessCalendar:
    return BusinessCalendar(
        zone="America/New_York",
        schedule={"mon-fri": "09:00-17:00", "sat": "22:00-02:00"},
        holidays=[RecurringHoliday(12, 25), RecurringHoliday(7, 4)],
    )


def random_instant(rng: random.Random, year: int) -> datetime:
    start = datetime(year, 1, 1, tzinfo=UTC)
    return start + timedelta(seconds=rng.randrange(366 * 86400), microseconds=rng.randrange(10))


def make_queries(rng: random.Random) -> list[Query]:
    """Queries of every kind, each in a random year (spans of several years for ``between``)."""
    queries: list[Query] = []
    for _ in range(QUERIES):
        t = random_instant(rng, rng.randint(FIRST_YEAR, LAST_YEAR))
        later = t + timedelta(days=rng.choice([0, 1, 40, 400, 1500]), seconds=rng.randrange(86400))
        hours = timedelta(hours=rng.choice([0, 1, 8, 100, 3000]), seconds=rng.randrange(3600))
        queries.append((rng.choice(KINDS), t, later, hours))
    return queries


def answer(calendar: BusinessCalendar, query: Query) -> object:
    """What ``calendar`` answers to ``query`` (an error is an answer too, and must match)."""
    kind, t, later, hours = query
    try:
        if kind == "is_open":
            return calendar.is_open(t)
        if kind == "add":
            return calendar.add(t, hours)
        if kind == "subtract":
            return calendar.subtract(t, hours)
        if kind == "between":
            return calendar.between(t, later)
        if kind == "next_close":
            return calendar.next_close(t)
        return calendar.open_intervals(t, t + timedelta(days=9))
    except Exception as error:
        return (type(error).__name__, str(error))


def test_concurrent_queries_on_a_fresh_calendar_match_a_single_thread() -> None:
    rng = random.Random(20261126)
    queries = make_queries(rng)
    reference = make_calendar()
    expected = [answer(reference, query) for query in queries]
    assert not any(isinstance(answer, tuple) for answer in expected)  # real answers, no errors

    shared = make_calendar()
    orders = [rng.sample(range(len(queries)), len(queries)) for _ in range(THREADS)]
    answers: list[dict[int, object]] = [{} for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def work(n: int) -> None:
        barrier.wait()
        for i in orders[n]:
            answers[n][i] = answer(shared, queries[i])

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        sys.setswitchinterval(old_interval)
    assert not any(thread.is_alive() for thread in threads)

    wrong = [
        (n, i, answers[n].get(i), expected[i])
        for n in range(THREADS)
        for i in range(len(queries))
        if answers[n].get(i) != expected[i]
    ]
    assert not wrong, f"{len(wrong)} wrong answers, e.g. {wrong[:3]}"
