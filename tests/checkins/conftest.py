"""Fixtures of the check-in tests."""

import pytest

from tests.checkins.helpers import plan_with_steps


@pytest.fixture
def steps(team):
    """The keys of the team's two coping steps the teen sees, in plan order."""
    return plan_with_steps(team)


@pytest.fixture
def as_teen(client, login_as):
    login_as("teen")
    return client
