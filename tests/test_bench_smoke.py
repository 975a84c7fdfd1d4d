"""`make bench` at a tiny size: it seeds, serves with gunicorn, loads with locust and reports
every page with numbers."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "health",
    "login (POST)",
    "therapist caseload",
    "teen today",
    "check-in submit (POST)",
    "plan: therapist",
    "plan: teen",
    "plan: guardian",
    "plan: school",
    "thread (family)",
    "module page",
}

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None
    or not (Path(sys.executable).parent / "gunicorn").exists(),
    reason="needs the bench extra: pip install -e '.[bench]' (locust, and gunicorn in the venv)",
)


def test_the_benchmark_reports_every_page(tmp_path):
    results = tmp_path / "results.json"
    settings = {
        "BENCH_TEAMS": "3",
        "BENCH_USERS": "1",
        "BENCH_SECONDS": "3",
        "BENCH_DATABASES": "sqlite",
        "BENCH_RESULTS": str(results),
        "BENCH_WORKDIR": str(tmp_path),
    }
    finished = subprocess.run(
        [sys.executable, "bench/run.py"],
        cwd=ROOT,
        env={**os.environ, **settings},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]

    report = json.loads(results.read_text())
    (run,) = report["runs"]
    assert (run["database"], run["teams"], run["users"]) == ("sqlite", 3, 1)
    assert set(run["pages"]) == PAGES
    for name, page in run["pages"].items():
        assert page["requests"] > 0, name
        assert page["failures"] == 0, (name, page.get("first_error"))
        for number in ("rps", "p50", "p95", "p99", "health_rps"):
            assert page[number] > 0, (name, number)
    assert run["health_rps"] == run["pages"]["health"]["rps"]
    assert len(run["worker_rss_mb"]) == 2
    assert all(rss > 0 for rss in run["worker_rss_mb"])
    assert report["machine"]["cpus"] >= 1
    assert "sqlite, 3 teams, 1 users" in finished.stdout
