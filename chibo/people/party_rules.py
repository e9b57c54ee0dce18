"""Time limits of a member's party life, one rule set per regulation in force.

The Charter (Điều lệ Đảng, 2011) is carried out by a regulation of the Central Committee,
replaced from time to time: Quy định 29-QĐ/TW (25/7/2016), 24-QĐ/TW (30/7/2021),
232-QĐ/TW (20/1/2025) and 294-QĐ/TW (26/5/2025, in force from 1/7/2025). The limits the
software needs have not changed between them, but each stays its own rule set, chosen by
the day an event happens, so that a future change is one new entry here.

Where each limit comes from (numbering of 24-QĐ/TW, kept by 232 and 294):
- Điều lệ Đảng, Điều 5.1: probation is twelve months, counted from the day the cell holds
  the admission ceremony.
- 4.1: the cell holds the ceremony within 30 working days of receiving the decision.
- 4.2.1: within 30 working days after the twelve months, the cell considers the member for
  official status (or proposes removal from the list of probationary members); 4.2.2: a
  member recognised late is still official from the day the twelve months ended.
- 4.5.1 and Điều lệ Đảng, Điều 5.4: party age (tuổi đảng) counts, once the member is
  official, from the date of the admission decision, less the time out of party activity
  (expulsion, removal, lost contact, gaps while transferring). It does not start at the
  official date: the probation year is part of it.
- 6.3.1: a member whose work or residence changes for good must have the transfer done
  within 60 working days of the decision taking effect (or of the move); within 30 working
  days of being introduced, the member presents the introduction letter to the cell
  committee of the new unit.
- 6.3.2: a temporary transfer is for a change of work or residence of 3 months to less than
  a year, or for full-time study in the country of 3 months to 2 years; a member there
  temporarily is not counted in the host's party membership.
- 1.1.1: at the time the cell considers admission, the candidate is at least 18.
Working days skip Saturdays and Sundays; public holidays, which move with the lunar
calendar, are not known to the software, so a deadline may in fact fall a few days later.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class PartyRules:
    code: str
    effective_from: datetime.date
    probation_months: int = 12
    ceremony_working_days: int = 30
    official_review_working_days: int = 30
    transfer_procedure_working_days: int = 60
    transfer_report_working_days: int = 30
    temporary_min_months: int = 3
    # "từ 3 tháng đến dưới 1 năm": a stay of a full year is not temporary any more.
    temporary_work_months_below: int = 12
    # "từ 3 tháng đến 2 năm": two full years are still allowed for study.
    temporary_study_months_max: int = 24
    min_admission_age: int = 18
    # Reminding the cell a month before a probation ends leaves time to gather the papers.
    official_reminder_days: int = 31


RULE_SETS: tuple[PartyRules, ...] = (
    PartyRules(code="29-QĐ/TW", effective_from=datetime.date(2016, 7, 25)),
    PartyRules(code="24-QĐ/TW", effective_from=datetime.date(2021, 7, 30)),
    PartyRules(code="232-QĐ/TW", effective_from=datetime.date(2025, 1, 20)),
    PartyRules(code="294-QĐ/TW", effective_from=datetime.date(2025, 7, 1)),
)


def rules_on(day: datetime.date) -> PartyRules:
    """The rule set in force on `day` (the oldest one for days before it)."""
    chosen = RULE_SETS[0]
    for rules in RULE_SETS:
        if rules.effective_from <= day:
            chosen = rules
    return chosen


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the 31st of a short month falls to its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day (Monday to Friday) after `day`."""
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (0 when `end` is before a month has passed)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def birthday_at(birth_date: datetime.date, years: int) -> datetime.date:
    """The day someone born on `birth_date` turns `years` (29 February → 1 March)."""
    try:
        return birth_date.replace(year=birth_date.year + years)
    except ValueError:
        return datetime.date(birth_date.year + years, 3, 1)
