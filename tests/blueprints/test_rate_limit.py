"""Login POSTs are rate limited per address (memory storage here, Redis in production)."""

import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": True}


def test_too_many_sign_in_attempts_get_a_429_page(client, team):
    form = {"email": team.guardian.email, "password": "wrong password"}
    statuses = [client.post("/login", data=form).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    assert "Please wait a moment" in client.post("/login", data=form).text
