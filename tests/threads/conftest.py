"""Fixtures of the messaging tests."""

import pytest

from tests.threads.helpers import grant_school_thread


@pytest.fixture
def with_consent(monkeypatch, team):
    """The team's counselor is named in a `school_thread` consent in force."""
    grant_school_thread(monkeypatch, team.memberships["school"])
    return team
