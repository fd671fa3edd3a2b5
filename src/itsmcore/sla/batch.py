"""Every ticket's SLAs at one instant: the dashboard, and the desk's tick.

:func:`evaluate_all` evaluates many tickets at once into a :class:`Board`;
``board.advance(at, changed)`` moves it to a later instant, reading only the new events of
the tickets that changed, and ``board.crossings(since, until)`` lists the warnings and
breaches to fire.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from itsmcore.errors import ValidationError
from itsmcore.sla._engine import micros
from itsmcore.sla.definition import SlaDefinition
from itsmcore.sla.evaluation import Evaluation, SlaStatus, _evaluate_record, _slas
from itsmcore.sla.selection import SlaSet
from itsmcore.sla.timers import Crossing, _crossings, _window
from itsmcore.workflow import Record

__all__ = ["Board", "evaluate_all"]


class Board:
    """The evaluations of many tickets at one instant, by ticket number (immutable)."""

    __slots__ = ("_evaluations", "_slas")

    def __init__(self, slas: SlaSet, evaluations: Mapping[str, Evaluation]) -> None:
        self._slas, self._evaluations = slas, evaluations

    @property
    def evaluations(self) -> Mapping[str, Evaluation]:
        """Ticket number -> its :class:`~itsmcore.sla.Evaluation`."""
        return self._evaluations

    def __len__(self) -> int:
        return len(self._evaluations)

    def __getitem__(self, number: str) -> Evaluation:
        return self._evaluations[number]

    def statuses(self) -> Iterator[tuple[str, SlaStatus]]:
        """``(ticket number, status)`` for every agreement on every ticket."""
        for number, evaluation in self._evaluations.items():
            for status in evaluation.statuses:
                yield number, status

    def advance(self, at: datetime, changed: Iterable[Record] = ()) -> Board:
        """The board at the later instant ``at``; ``changed`` are the tickets with new events
        (or new tickets). Costs one step per ticket plus the new events."""
        fresh: dict[str, Record] = {}
        for record in changed:
            if not isinstance(record, Record):
                raise ValidationError(f"changed tickets must be records, got {record!r}")
            fresh[record.number] = record
        t = micros(at, "at")
        out: dict[str, Evaluation] = {}
        for number, evaluation in self._evaluations.items():
            changed_record = fresh.pop(number, None)
            if changed_record is None:
                out[number] = evaluation._moved((), t, at)
            else:
                new = changed_record.history.since(evaluation.version)
                out[number] = evaluation._moved(new, t, at)
        for number, record in fresh.items():  # tickets not on the board before
            out[number] = _evaluate_record(self._slas, record, t, at)
        return Board(self._slas, out)

    def crossings(self, since: datetime, until: datetime) -> list[tuple[str, Crossing]]:
        """``(ticket number, crossing)`` for the thresholds crossed in ``(since, until]``."""
        lo, hi = _window(since, until)
        return [
            (number, crossing)
            for number, evaluation in self._evaluations.items()
            for crossing in _crossings(evaluation, lo, hi)
        ]


def evaluate_all(
    slas: SlaSet | SlaDefinition | Iterable[SlaDefinition],
    tickets: Iterable[Record],
    at: datetime,
) -> Board:
    """Every ticket's SLAs at ``at`` (each ticket as :func:`~itsmcore.sla.evaluate` does)."""
    chosen = _slas(slas)
    t = micros(at, "at")
    out: dict[str, Evaluation] = {}
    for record in tickets:
        if not isinstance(record, Record):
            raise ValidationError(f"tickets must be records, got {record!r}")
        out[record.number] = _evaluate_record(chosen, record, t, at)
    return Board(chosen, out)
