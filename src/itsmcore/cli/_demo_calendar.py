"""The business-hours calendar section of ``itsmcore demo``: SLA arithmetic on sample hours."""

from __future__ import annotations

from datetime import date, timedelta

import pendulum

from itsmcore.sla import BusinessCalendar, Holiday, Override

__all__ = ["demo_calendar", "sample_calendar"]

ZONE = "Europe/Berlin"


def sample_calendar() -> BusinessCalendar:
    """A Berlin service desk: split weekday hours, a Saturday morning, Christmas and a short day."""
    return BusinessCalendar(
        zone=ZONE,
        schedule={"mon-fri": ["08:00-12:00", "13:00-17:00"], "sat": "09:00-12:00"},
        holidays=[Holiday(date(2025, 12, 24), date(2025, 12, 26), name="Christmas")],
        overrides=[Override(date(2025, 12, 23), "08:00-12:00", name="short day")],
        name="Service desk",
    )


def _local(value: pendulum.DateTime) -> str:
    return value.in_timezone(ZONE).format("ddd YYYY-MM-DD HH:mm")


def demo_calendar() -> None:
    """Print how the calendar answers the questions an SLA clock asks."""
    desk = sample_calendar()
    print(f"{desk.name}: Mon-Fri 08:00-12:00, 13:00-17:00; Sat 09:00-12:00 ({ZONE})")
    opened = pendulum.datetime(2025, 3, 7, 15, 30, tz=ZONE)
    print(f"ticket opened      {_local(opened)}")
    for hours in (4, 8, 40):
        due = desk.add(opened, timedelta(hours=hours))
        print(f"  + {hours:>2} business h  {_local(due)}")
    print(f"next close         {_local(desk.next_close(opened) or opened)}")
    print(
        f"next business day  {_local(desk.add_days(opened, 1))} (Sat 15:30 is closed: next opening)"
    )
    week = pendulum.datetime(2025, 12, 22, tz=ZONE)
    christmas = desk.between(week, week.add(days=7))
    print(
        f"Christmas week     {christmas.total_seconds() / 3600:g} business hours "
        "(short Tuesday, closed Wed-Fri, Saturday morning)"
    )

    night = BusinessCalendar(zone=ZONE, schedule={"daily": "01:00-04:00"})
    start = pendulum.datetime(2025, 3, 30, 1, 30, tz=ZONE)
    print("DST night (daily 01:00-04:00, 02:00-03:00 skipped on 2025-03-30):")
    print(f"  {_local(start)} + 2 business h = {_local(night.add(start, timedelta(hours=2)))}")
    shift = BusinessCalendar(zone=ZONE, schedule={"mon-fri": "22:00-06:00"})
    friday_night = pendulum.datetime(2025, 3, 7, 23, 0, tz=ZONE)
    print("Overnight shift (Mon-Fri 22:00-06:00, belongs to the day it starts on):")
    print(
        f"  {_local(friday_night)} + 8 business h = "
        f"{_local(shift.add(friday_night, timedelta(hours=8)))}"
    )
