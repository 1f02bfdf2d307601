"""Quarter arithmetic: quarters of days, deadlines around the year's end, the quarters a residency owes."""

from datetime import date

import pytest

from texnopark.reports.quarters import (
    Quarter,
    between,
    last_finished,
    last_past_deadline,
    overdue_count,
    owed,
    quarter_of,
    recent,
)


@pytest.mark.parametrize(("day", "expected"), [
    (date(2025, 1, 1), Quarter(2025, 1)), (date(2025, 3, 31), Quarter(2025, 1)), (date(2025, 4, 1), Quarter(2025, 2)),
    (date(2025, 9, 30), Quarter(2025, 3)), (date(2025, 10, 1), Quarter(2025, 4)),
    (date(2025, 12, 31), Quarter(2025, 4)), (date(2024, 2, 29), Quarter(2024, 1)),
])
def test_quarter_of_a_day(day, expected):
    assert quarter_of(day) == expected


def test_days_of_a_quarter_and_its_deadline_25_days_after(settings):
    settings.REPORT_DUE_DAYS = 25
    assert Quarter(2025, 1).first_day == date(2025, 1, 1)
    assert Quarter(2025, 1).last_day == date(2025, 3, 31)
    assert Quarter(2025, 1).due_on == date(2025, 4, 25)
    assert Quarter(2025, 2).due_on == date(2025, 7, 25)
    assert Quarter(2025, 3).due_on == date(2025, 10, 25)
    # The fourth quarter's report is due in the next year.
    assert Quarter(2025, 4).last_day == date(2025, 12, 31)
    assert Quarter(2025, 4).due_on == date(2026, 1, 25)
    assert str(Quarter(2025, 4)) == "2025 Q4"


def test_previous_and_next_cross_the_year():
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter.from_index(Quarter(2025, 4).index + 1) == Quarter(2026, 1)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 1, 1), Quarter(2025, 4)),   # the year just ended
    (date(2025, 12, 31), Quarter(2025, 3)),  # the last day of Q4: Q4 is not over yet
    (date(2025, 4, 1), Quarter(2025, 1)),
])
def test_last_finished_quarter(today, expected):
    assert last_finished(today) == expected


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 1, 25), Quarter(2025, 3)),  # Q4 is due today: not past yet
    (date(2026, 1, 26), Quarter(2025, 4)),
    (date(2025, 12, 31), Quarter(2025, 3)),
    (date(2025, 10, 25), Quarter(2025, 2)),
    (date(2025, 10, 26), Quarter(2025, 3)),
])
def test_last_quarter_past_its_deadline(settings, today, expected):
    settings.REPORT_DUE_DAYS = 25
    assert last_past_deadline(today) == expected


def test_owed_from_the_start_quarter_to_the_last_finished():
    # Started mid-November 2024: Q4 2024 is owed (the quarter the residency started in).
    assert owed(date(2024, 11, 15), date(2027, 11, 14), date(2025, 7, 2)) == [
        Quarter(2024, 4), Quarter(2025, 1), Quarter(2025, 2)]
    # Nothing owed until the first quarter is over.
    assert owed(date(2025, 5, 1), date(2028, 5, 1), date(2025, 6, 30)) == []
    assert owed(date(2025, 5, 1), date(2028, 5, 1), date(2025, 7, 1)) == [Quarter(2025, 2)]


def test_owed_stops_at_the_quarter_the_residency_ends():
    assert owed(date(2024, 1, 10), date(2024, 8, 1), date(2026, 3, 1)) == [
        Quarter(2024, 1), Quarter(2024, 2), Quarter(2024, 3)]


def test_overdue_count_counts_quarters_past_their_deadline_minus_those_filed(settings):
    settings.REPORT_DUE_DAYS = 25
    # Started in Q3 2025; on 26 January 2026 Q3 and Q4 are past their deadlines.
    assert overdue_count(date(2025, 8, 1), date(2028, 8, 1), date(2026, 1, 26), filed=0) == 2
    assert overdue_count(date(2025, 8, 1), date(2028, 8, 1), date(2026, 1, 26), filed=1) == 1
    # On the deadline itself Q4 is not overdue yet.
    assert overdue_count(date(2025, 8, 1), date(2028, 8, 1), date(2026, 1, 25), filed=1) == 0
    # Started after the last quarter past its deadline: nothing can be overdue.
    assert overdue_count(date(2026, 1, 5), date(2029, 1, 5), date(2026, 1, 26), filed=0) == 0


def test_recent_quarters_oldest_first_across_years():
    assert recent(date(2026, 2, 10), 3) == [Quarter(2025, 2), Quarter(2025, 3), Quarter(2025, 4)]
    assert between(Quarter(2025, 4), Quarter(2026, 1)) == [Quarter(2025, 4), Quarter(2026, 1)]
