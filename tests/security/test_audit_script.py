""".ci/audit (`make audit`): a finding fails, an unreachable vulnerability service is reported
as skipped and passes. Driven with stand-ins for python (the reachability probe) and
pip-audit, so it runs offline and says nothing about today's advisories."""

from __future__ import annotations

import subprocess

import pytest

from app.config import ROOT

SKIPPED = "pip-audit: skipped (vulnerability service unreachable)"


def run(tmp_path, reachable: bool, audit_output: str, audit_status: int):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    probe = bin_dir / "python"
    probe.write_text(f"#!/bin/sh\ncat >/dev/null\nexit {0 if reachable else 1}\n")
    audit = bin_dir / "pip-audit"
    audit.write_text(f"#!/bin/sh\ncat <<'OUT'\n{audit_output}\nOUT\nexit {audit_status}\n")
    for stand_in in (probe, audit):
        stand_in.chmod(0o755)
    return subprocess.run(
        ["bash", str(ROOT / ".ci" / "audit")],
        env={"BIN": str(bin_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_an_unreachable_service_is_skipped_without_running_pip_audit(tmp_path):
    result = run(tmp_path, reachable=False, audit_output="must not run", audit_status=1)
    assert result.returncode == 0
    assert result.stdout.strip() == SKIPPED


@pytest.mark.parametrize(
    "error",
    [
        "requests.exceptions.ConnectionError: Max retries exceeded with url: /pypi/x/1/json",
        "pip_audit._service.interface.ServiceError: Connection timed out",
    ],
)
def test_a_network_error_during_the_audit_is_skipped(tmp_path, error):
    result = run(tmp_path, reachable=True, audit_output=error, audit_status=1)
    assert result.returncode == 0
    assert result.stdout.strip().endswith(SKIPPED)


def test_a_known_vulnerability_fails(tmp_path):
    found = "Found 1 known vulnerability in 1 package\nName Version ID Fix Versions\nflask 0.1 X 9"
    result = run(tmp_path, reachable=True, audit_output=found, audit_status=1)
    assert result.returncode == 1
    assert "known vulnerability" in result.stdout and SKIPPED not in result.stdout


def test_a_package_strict_mode_cannot_audit_fails(tmp_path):
    missing = "ERROR: Dependency not found on PyPI and could not be audited: private-pkg (1.0)"
    result = run(tmp_path, reachable=True, audit_output=missing, audit_status=1)
    assert result.returncode == 1


def test_a_clean_audit_passes(tmp_path):
    result = run(
        tmp_path, reachable=True, audit_output="No known vulnerabilities found", audit_status=0
    )
    assert result.returncode == 0
    assert "No known vulnerabilities found" in result.stdout
