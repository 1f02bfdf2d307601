"""Quarter arithmetic: the quarter of a day, its deadline, and the quarters a residency owes a report for.

A report is due `settings.REPORT_DUE_DAYS` days after its quarter ends (Q4 2025: 25 January 2026) and is
owed for every quarter from the one the residency started in up to the last finished one (never past the
quarter the residency ends in).
"""

from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext

QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


class Quarter(NamedTuple):
    year: int
    quarter: int

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> date:
        month, day = QUARTER_ENDS[self.quarter]
        return date(self.year, month, day)

    @property
    def due_on(self) -> date:
        return self.last_day + timedelta(days=settings.REPORT_DUE_DAYS)

    @property
    def index(self) -> int:
        """Consecutive quarters have consecutive indexes: handy for ranges and counts."""
        return self.year * 4 + self.quarter - 1

    @classmethod
    def from_index(cls, index: int) -> "Quarter":
        return cls(index // 4, index % 4 + 1)

    def previous(self) -> "Quarter":
        return Quarter.from_index(self.index - 1)

    def next(self) -> "Quarter":
        return Quarter.from_index(self.index + 1)

    def __str__(self):
        return gettext("%(year)s Q%(quarter)s") % {"year": self.year, "quarter": self.quarter}


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_finished(today: date) -> Quarter:
    return quarter_of(today).previous()


def between(first: Quarter, last: Quarter) -> list[Quarter]:
    return [Quarter.from_index(i) for i in range(first.index, last.index + 1)]


def owed(starts_on: date, ends_on: date | None, today: date) -> list[Quarter]:
    """Quarters with a report owed: from the start's quarter to the last finished one, within the term."""
    last = last_finished(today)
    if ends_on is not None and quarter_of(ends_on).index < last.index:
        last = quarter_of(ends_on)
    return between(quarter_of(starts_on), last)


def last_past_deadline(today: date) -> Quarter:
    """The latest quarter whose deadline has passed (today is after its due date)."""
    last = last_finished(today)
    return last if last.due_on < today else last.previous()


def overdue_count(starts_on: date, ends_on: date | None, today: date, filed: int) -> int:
    """How many quarters past their deadline are not filed, given how many of them are."""
    last = last_past_deadline(today)
    if ends_on is not None and quarter_of(ends_on).index < last.index:
        last = quarter_of(ends_on)
    return max(0, last.index - quarter_of(starts_on).index + 1 - filed)


def recent(today: date, count: int) -> list[Quarter]:
    """The last `count` finished quarters, oldest first."""
    last = last_finished(today)
    return between(Quarter.from_index(last.index - count + 1), last)
