"""Rule sets by code. A round stores the code; `rule_set(code)` gives the module's rules."""

from __future__ import annotations

from chibo.evaluation.rules.base import RuleSet

# Filled by the regulation modules' registration below: code -> rule set.
_REGISTRY: dict[str, RuleSet] = {}


def register(rule_set: RuleSet) -> RuleSet:
    _REGISTRY[rule_set.code] = rule_set
    return rule_set


def rule_set(code: str) -> RuleSet:
    """The rule set of a code; KeyError for an unknown code."""
    return _REGISTRY[code]


def all_rule_sets() -> list[RuleSet]:
    return sorted(_REGISTRY.values(), key=lambda rules: rules.first_year or 0)


def rule_set_for_year(year: int) -> RuleSet:
    """The rule set that governs the round of a year (the newest whose years include it)."""
    for rules in reversed(all_rule_sets()):
        if (rules.first_year or 0) <= year <= (rules.last_year or 9999):
            return rules
    raise KeyError(year)


# The regulation modules, oldest first. Adding a regulation: a module and one line here.
from chibo.evaluation.rules import qd124_2023, qd366_2025  # noqa: E402

register(qd124_2023.RULES)
register(qd366_2025.RULES)
