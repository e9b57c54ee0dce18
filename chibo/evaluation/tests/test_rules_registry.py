"""The registry: a round's year picks its regulation, a code gives its rules."""

from __future__ import annotations

import itertools

import pytest

from chibo.evaluation.rules import (
    all_rule_sets,
    qd124_2023,
    qd366_2025,
    rule_set,
    rule_set_for_year,
)


def test_each_year_gets_the_regulation_that_governs_it() -> None:
    assert rule_set_for_year(2023) is qd124_2023.RULES
    assert rule_set_for_year(2024) is qd124_2023.RULES
    assert rule_set_for_year(2025) is qd366_2025.RULES
    assert rule_set_for_year(2030) is qd366_2025.RULES


def test_a_year_before_any_registered_regulation_has_none() -> None:
    with pytest.raises(KeyError):
        rule_set_for_year(2022)


def test_codes() -> None:
    assert rule_set("qd124_2023") is qd124_2023.RULES
    assert rule_set("qd366_2025") is qd366_2025.RULES
    with pytest.raises(KeyError):
        rule_set("qd999_2099")


def test_all_rule_sets_oldest_first_with_years_that_do_not_overlap() -> None:
    rules = all_rule_sets()
    assert [r.code for r in rules] == ["qd124_2023", "qd366_2025"]
    for older, newer in itertools.pairwise(rules):
        assert older.last_year is not None and newer.first_year is not None
        assert older.last_year + 1 == newer.first_year
    assert all(str(r.title) for r in rules)
