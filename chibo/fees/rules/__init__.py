"""The party-fee regulations, each its own module, chosen by the month a fee is for.

A new regulation is a new module added to RULES; nothing else in the app asks which year
it is. Months before the first regulation here have no rule (`rule_for` raises).
"""

from __future__ import annotations

import datetime

from chibo.fees.rules import qd01_2026, qd342_2010
from chibo.fees.rules.base import FeeFacts, FeeRule, MemberFacts, Rate, month_start

# Oldest first.
RULES: tuple[FeeRule, ...] = (qd342_2010.RULE, qd01_2026.RULE)


class NoRuleError(LookupError):
    """No regulation in Chibo covers the month asked for."""


def rule_for(month: datetime.date) -> FeeRule:
    first = month_start(month)
    chosen: FeeRule | None = None
    for rule in RULES:
        if rule.starts <= first:
            chosen = rule
    if chosen is None:
        raise NoRuleError(month)
    return chosen


def monthly_rate(facts: FeeFacts, member: MemberFacts, month: datetime.date) -> Rate:
    return rule_for(month).rate(facts, member, month_start(month))


__all__ = ["RULES", "NoRuleError", "monthly_rate", "rule_for"]
