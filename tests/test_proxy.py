"""Behind a load balancer the client's address comes from X-Forwarded-For, and only then."""

from flask import request

from app import create_app


def _seen_address(app, **headers) -> str:
    @app.get("/_address")
    def _address():
        return request.remote_addr or ""

    client = app.test_client()
    return client.get(
        "/_address", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    ).get_data(as_text=True)


def test_forwarded_address_is_trusted_only_behind_a_configured_proxy(app_config):
    direct = create_app(dict(app_config, TRUSTED_PROXIES=0))
    behind = create_app(dict(app_config, TRUSTED_PROXIES=1))
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    assert _seen_address(direct, **forwarded) == "10.0.0.1"
    assert _seen_address(behind, **forwarded) == "203.0.113.7"
