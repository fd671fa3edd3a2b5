"""Service-level time: business-hours calendars (the SLA engine builds on them).

A :class:`BusinessCalendar` is an IANA zone, weekly hours, holidays and per-date overrides;
it answers ``is_open``, ``next_open``/``next_close``, ``add``/``subtract`` business time,
``between`` two instants and business-day arithmetic, in real elapsed time across DST.
"""

from __future__ import annotations

from itsmcore.sla.batch import Board, evaluate_all
from itsmcore.sla.calendar import BaseCalendar, BusinessCalendar, DurationLike, HolidayLike
from itsmcore.sla.combine import CombinedCalendar, intersection, union
from itsmcore.sla.conditions import (
    ALWAYS,
    NEVER,
    ActorIs,
    AllOf,
    AnyOf,
    Condition,
    EventIs,
    FieldIn,
    Not,
    StateIn,
    TicketTypeIn,
    left_states,
)
from itsmcore.sla.days import DayRule
from itsmcore.sla.definition import (
    AgreementType,
    PriorityPolicy,
    SlaDefinition,
    SlaKind,
    resolution_sla,
    response_sla,
    response_stop,
)
from itsmcore.sla.evaluation import Cycle, Evaluation, SlaStatus, Stage, evaluate
from itsmcore.sla.exceptions import Holiday, Override, RecurringHoliday
from itsmcore.sla.holidays import CountryHolidays
from itsmcore.sla.schedule import Interval, WeeklySchedule
from itsmcore.sla.selection import SlaSet
from itsmcore.sla.timers import Crossing, crossings, next_timer

__all__ = [
    "BaseCalendar",
    "BusinessCalendar",
    "CombinedCalendar",
    "CountryHolidays",
    "DayRule",
    "DurationLike",
    "Holiday",
    "HolidayLike",
    "Interval",
    "Override",
    "RecurringHoliday",
    "WeeklySchedule",
    "intersection",
    "union",
]

__all__ += [  # the SLA engine
    "ALWAYS",
    "NEVER",
    "ActorIs",
    "AgreementType",
    "AllOf",
    "AnyOf",
    "Board",
    "Condition",
    "Crossing",
    "Cycle",
    "Evaluation",
    "EventIs",
    "FieldIn",
    "Not",
    "PriorityPolicy",
    "SlaDefinition",
    "SlaKind",
    "SlaSet",
    "SlaStatus",
    "Stage",
    "StateIn",
    "TicketTypeIn",
    "crossings",
    "evaluate",
    "evaluate_all",
    "left_states",
    "next_timer",
    "resolution_sla",
    "response_sla",
    "response_stop",
]
