"""Fixtures of the evaluation workflow tests."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from chibo.evaluation.models import Round
from chibo.evaluation.services import round_open
from chibo.evaluation.tests.flow_rules import FLOW_YEAR, flow_rules  # noqa: F401


@pytest.fixture
def round_(demo: Any, request: pytest.FixtureRequest) -> Round:
    """The commune's round of the tests' own year and rule set (`flow_rules`)."""
    request.getfixturevalue("flow_rules")
    return round_open(
        user=demo.user("danguy"),
        org=demo.org("DU-DT"),
        year=FLOW_YEAR,
        reference_date=datetime.date(FLOW_YEAR, 12, 1),
    )
