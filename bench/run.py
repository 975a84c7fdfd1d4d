"""`make bench`: Harbor's pages per second and latency, on SQLite and PostgreSQL.

For each database it seeds BENCH_TEAMS care teams (once: a database of the right size is
reused), serves the app with gunicorn as production would, and drives it with locust at each
number of BENCH_USERS. Within a level the pages are measured one after another, each on its
own for an equal share of BENCH_SECONDS, so a page's requests per second is what the server
gives that page alone; the bare /health endpoint, measured the same way in the same level, is
the ceiling. Prints a table and writes BENCH_RESULTS (bench/results.json).
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import gevent
import locust.log
import psutil
from growth import growth
from locust.env import Environment
from locust.runners import LocalRunner
from locustfile import PAUSE, SETUP, CareTeamVisitor, Schedule
from pages import HEALTH, PAGE_NAMES
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# One sync worker per core. More would only queue on the same two cores, which the load
# generator and the database share; sync workers beat threaded ones there (STYLE.md).
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
WARM_UP_SECONDS = 2.0
STARTUP_TIMEOUT = 30.0
SIGN_IN_TIMEOUT = 300.0
STOP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Settings:
    teams: tuple[int, ...]
    users: tuple[int, ...]
    seconds: float
    rounds: int
    databases: tuple[str, ...]
    postgres: str
    password: str
    results: Path
    workdir: Path

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        return cls(
            teams=_numbers(env("BENCH_TEAMS", "200")),
            users=_numbers(env("BENCH_USERS", "1,10,50")),
            seconds=float(env("BENCH_SECONDS", "60")),
            rounds=int(env("BENCH_ROUNDS", "1")),
            databases=tuple(env("BENCH_DATABASES", "sqlite,postgresql").split(",")),
            postgres=env("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432").rstrip("/"),
            password=env("BENCH_PASSWORD", "harbor-bench"),
            results=Path(env("BENCH_RESULTS", str(ROOT / "bench" / "results.json"))),
            workdir=Path(env("BENCH_WORKDIR", str(ROOT / "instance" / "bench"))),
        )


def _numbers(value: str) -> tuple[int, ...]:
    return tuple(int(part) for part in value.split(",") if part.strip())


def database_name(teams: int) -> str:
    """harbor_bench_200, harbor_bench_1k, harbor_bench_10k."""
    size = f"{teams // 1000}k" if teams >= 1000 and teams % 1000 == 0 else str(teams)
    return f"harbor_bench_{size}"


# --- the database ----------------------------------------------------------------------------


def flask(args: list[str], database_url: str, password: str) -> None:
    environment = {**os.environ, "DATABASE_URL": database_url, "BENCH_PASSWORD": password}
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=environment, check=True
    )


@contextmanager
def connection(database_url: str, **options) -> Iterator[Connection]:
    """A connection for the URL as the app reads it (psycopg 3 for postgresql://)."""
    engine = create_engine(
        database_url.replace("postgresql://", "postgresql+psycopg://", 1), **options
    )
    try:
        with engine.connect() as connected:
            yield connected
    finally:
        engine.dispose()


def count_teams(database_url: str) -> int:
    with connection(database_url) as connected:
        return connected.scalar(text("SELECT count(*) FROM care_team")) or 0


def prepare(database: str, teams: int, settings: Settings) -> str:
    """The database's URL, migrated and holding `teams` seeded teams (seeded when missing)."""
    name = database_name(teams)
    if database == "sqlite":
        url = f"sqlite:///{settings.workdir / name}.sqlite3"
    elif database == "postgresql":
        url = f"{settings.postgres}/{name}"
        create_postgres_database(settings.postgres, name)
    else:
        raise SystemExit(f"BENCH_DATABASES: unknown database {database!r}")
    flask(["db", "upgrade"], url, settings.password)
    found = count_teams(url)
    if found > teams:
        raise SystemExit(f"{name} holds {found} teams, more than {teams}: remove it")
    if found < teams:
        # An interrupted seed keeps the teams it finished: add only the missing ones.
        print(f"--- seeding {teams - found} teams into {name} ({database})", flush=True)
        seed = ["seed", "--teams", str(teams - found), "--password", settings.password]
        flask([*seed, "--append"] if found else seed, url, settings.password)
    if database == "postgresql":
        # Autovacuum would have vacuumed and analyzed a database in use; a freshly seeded one
        # may not be yet. Without statistics PostgreSQL scans whole tables; without a vacuum
        # the first read of every bulk-loaded page sets its hint bits, which charged the
        # first run after a seed about 5 ms of database CPU a request.
        statement = "VACUUM (FREEZE, ANALYZE)" if found < teams else "ANALYZE"
        with connection(url, isolation_level="AUTOCOMMIT") as connected:
            connected.execute(text(statement))
    return url


def create_postgres_database(server: str, name: str) -> None:
    try:
        with connection(f"{server}/postgres", isolation_level="AUTOCOMMIT") as connected:
            exists = text("SELECT 1 FROM pg_database WHERE datname = :name")
            if not connected.scalar(exists, {"name": name}):
                connected.execute(text(f'CREATE DATABASE "{name}"'))
    except DBAPIError as error:
        raise SystemExit(f"PostgreSQL at {server}: {error.orig}") from error


# --- the server ------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    database: str  # a PostgreSQL database's name; empty for SQLite, which works in-process

    def workers(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children()

    def database_backends(self) -> list[psutil.Process]:
        """The PostgreSQL processes serving the workers: their titles name the database."""
        if not self.database:
            return []
        return [
            process
            for process in psutil.process_iter(["cmdline"])
            if f" {self.database} " in " ".join(process.info["cmdline"] or ()) + " "
        ]

    def worker_rss_mb(self) -> list[float]:
        return [round(worker.memory_info().rss / 2**20, 1) for worker in self.workers()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(database_url: str, database: str, log_path: Path) -> Iterator[Server]:
    port = free_port()
    environment = {
        **os.environ,
        # Production's settings (no demo, secure cookies, a real secret) except two things:
        # two-factor sign-in, which production always asks of therapists, and rate limits,
        # which would refuse the load generator's many sign-ins from a single address.
        "HARBOR_ENV": "benchmark",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SESSION_COOKIE_SECURE": "1",
        "MFA_REQUIRED_FOR_THERAPISTS": "0",
        "RATELIMIT_ENABLED": "0",
        "DATABASE_URL": database_url,
    }
    command = [
        str(BIN / "gunicorn"),
        f"--workers={WORKERS}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        # Nothing to steer at run time, and two servers would share the default socket path.
        "--no-control-socket",
        "wsgi:app",
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)
    server = Server(f"http://127.0.0.1:{port}", process, database)
    try:
        wait_for_health(server, log_path)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_health(server: Server, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up; see {log_path}")
        with (
            suppress(OSError),
            urllib.request.urlopen(f"{server.url}/health", timeout=2) as response,  # noqa: S310
        ):
            if response.status == 200 and len(server.workers()) == WORKERS:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /health within {STARTUP_TIMEOUT:.0f} s")


# --- the load --------------------------------------------------------------------------------


@dataclass
class Sample:
    start: float
    milliseconds: float
    failed: bool

    @property
    def end(self) -> float:
        return self.start + self.milliseconds / 1000


def measure(server: Server, teams: int, users: int, seconds: float) -> dict:
    """One level: every page on its own for seconds / pages, the same users throughout."""
    CareTeamVisitor.host = server.url
    CareTeamVisitor.teams = teams
    # Stopping lets each user finish the request it is in, so the last page keeps its tail.
    environment = Environment(user_classes=[CareTeamVisitor], stop_timeout=STOP_TIMEOUT)
    samples: dict[str, list[Sample]] = defaultdict(list)
    errors: dict[str, str] = {}

    def on_request(name, start_time, response_time, exception, **_kwargs) -> None:
        if name != SETUP:
            samples[name].append(Sample(start_time, response_time, exception is not None))
            if exception is not None:
                errors.setdefault(name, str(exception))

    environment.events.request.add_listener(on_request)
    runner = environment.create_local_runner()
    sign_in(runner, users)
    me, workers, backends = psutil.Process(), server.workers(), server.database_backends()
    began, load_generator = time.monotonic(), _cpu_seconds([me])
    windows, worker_cpu, database_cpu = {}, {}, {}
    share = seconds / len(PAGE_NAMES)
    for page in PAGE_NAMES:
        cpu = _cpu_seconds(workers), _cpu_seconds(backends)
        Schedule.page = page
        start = time.time()
        gevent.sleep(share)
        windows[page] = (start, time.time())
        drain()
        worker_cpu[page] = _cpu_seconds(workers) - cpu[0]
        database_cpu[page] = _cpu_seconds(backends) - cpu[1]
    elapsed, load_generator = time.monotonic() - began, _cpu_seconds([me]) - load_generator
    runner.stop()
    runner.quit()

    pages = {page: summarize(samples[page], *windows[page]) for page in PAGE_NAMES}
    health_rps = pages[HEALTH]["rps"]
    for name, page in pages.items():
        page["health_rps"] = health_rps
        page["percent_of_health"] = round(100 * page["rps"] / health_rps, 1) if health_rps else None
        page["worker_cpu_ms"] = _per_request(worker_cpu[name], page["requests"])
        page["database_cpu_ms"] = _per_request(database_cpu[name], page["requests"])
    for page, error in errors.items():
        pages[page]["first_error"] = error
    return {
        "pages": pages,
        "health_rps": health_rps,
        "cpu_percent": {
            "load_generator": round(100 * load_generator / elapsed),
            "workers": round(100 * sum(worker_cpu.values()) / elapsed),
            "database": round(100 * sum(database_cpu.values()) / elapsed),
        },
    }


def sign_in(runner: LocalRunner, users: int) -> None:
    """Starts the users, who sign in and then go round every page until all have signed in
    and a little longer: templates compiled and caches filled in both workers."""
    Schedule.page, Schedule.ready = None, 0
    runner.start(users, spawn_rate=users, wait=True)
    deadline = time.monotonic() + SIGN_IN_TIMEOUT
    while Schedule.ready < users:
        if time.monotonic() > deadline:
            raise SystemExit(f"the virtual users were not signed in after {SIGN_IN_TIMEOUT} s")
        gevent.sleep(0.1)
    gevent.sleep(WARM_UP_SECONDS)
    drain()


def drain() -> None:
    """Holds the users until every request in flight is answered, so the next page starts on
    an idle server with nothing queued from the one before."""
    Schedule.page = PAUSE
    while Schedule.busy:
        gevent.sleep(0.005)


def _per_request(cpu_seconds: float, requests: int) -> float | None:
    return round(1000 * cpu_seconds / requests, 2) if requests else None


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        with suppress(psutil.Error):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def summarize(samples: list[Sample], start: float, end: float) -> dict:
    """The requests started inside the page's window: latency percentiles (ms), and their rate
    from the window's start until the last of them ended, so a page slower than its window
    is not credited with requests it had not finished."""
    inside = [sample for sample in samples if start <= sample.start < end]
    times = sorted(sample.milliseconds for sample in inside)
    if len(times) >= 2:
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    else:
        p50 = p95 = p99 = times[0] if times else None
    span = max([end, *(sample.end for sample in inside)]) - start
    return {
        "requests": len(inside),
        "failures": sum(sample.failed for sample in inside),
        "rps": round(len(inside) / span, 1),
        "p50": _ms(p50),
        "p95": _ms(p95),
        "p99": _ms(p99),
    }


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# --- the report ------------------------------------------------------------------------------


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
        if line.startswith("model name")
    ]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": models[0] if models else platform.processor(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def print_level(run: dict) -> None:
    print(
        f"\n{run['database']}, {run['teams']} teams, {run['users']} users"
        f"{'' if run.get('round', 1) == 1 else ', round ' + str(run['round'])} "
        f"(load average before: {run['load_average']}; worker RSS MB {run['worker_rss_mb']}; "
        "CPU % of one core: "
        f"load generator {run['cpu_percent']['load_generator']}, "
        f"gunicorn workers {run['cpu_percent']['workers']}, "
        f"PostgreSQL {run['cpu_percent']['database']})"
    )
    print(
        f"  {'page':<24}{'rps':>8}{'% health':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'app cpu':>8}{'db cpu':>8}  fail"
    )
    for name, page in run["pages"].items():
        percent = "" if page["percent_of_health"] is None else f"{page['percent_of_health']:.0f}%"
        print(
            f"  {name:<24}{page['rps']:>8.1f}{percent:>10}{_cell(page['p50']):>9}"
            f"{_cell(page['p95']):>9}{_cell(page['p99']):>9}{_cell(page['worker_cpu_ms']):>8}"
            f"{_cell(page['database_cpu_ms']):>8}  {page['failures'] or ''}"
        )


def print_growth(comparisons: list[dict]) -> None:
    for compared in comparisons:
        rounds = f", median of {compared['rounds']} rounds" if compared["rounds"] > 1 else ""
        print(
            f"\np95 at {compared['large']} teams against {compared['small']}: "
            f"{compared['database']}, {compared['users']} users{rounds}"
        )
        for name, page in compared["pages"].items():
            change = "" if page["percent"] is None else f"{page['percent']:+d}%"
            print(
                f"  {name:<24}{_cell(page['small_p95']):>9}{_cell(page['large_p95']):>9}{change:>8}"
            )


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def main() -> None:
    settings = Settings.from_env()
    locust.log.setup_logging("WARNING")
    if not shutil.which("gunicorn", path=str(BIN)):
        raise SystemExit("gunicorn is missing: pip install -e '.[bench]'")
    settings.workdir.mkdir(parents=True, exist_ok=True)
    log_path = settings.workdir / "gunicorn.log"
    report = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "workers": WORKERS,
        "teams": list(settings.teams),
        "users": list(settings.users),
        "seconds": settings.seconds,
        "rounds": settings.rounds,
        "seconds_per_page": round(settings.seconds / len(PAGE_NAMES), 2),
        "runs": [],
    }
    urls: dict[tuple[str, int], str] = {}
    for round_number in range(1, settings.rounds + 1):
        # Every other round measures the sizes the other way round, so a machine that slows
        # down (or speeds up) over the run does not favour whichever size comes first.
        order = settings.teams if round_number % 2 else settings.teams[::-1]
        for teams in order:
            for database in settings.databases:
                if (database, teams) not in urls:
                    urls[database, teams] = prepare(database, teams, settings)
                backends = database_name(teams) if database == "postgresql" else ""
                with serve(urls[database, teams], backends, log_path) as server:
                    for users in settings.users:
                        # Other work on the machine skews every number: note how busy it was.
                        run = {
                            "database": database,
                            "teams": teams,
                            "users": users,
                            "round": round_number,
                            "load_average": round(os.getloadavg()[0], 2),
                        }
                        run.update(measure(server, teams, users, settings.seconds))
                        run["worker_rss_mb"] = server.worker_rss_mb()
                        report["runs"].append(run)
                        print_level(run)
    report["growth"] = growth(report["runs"])
    print_growth(report["growth"])
    settings.results.parent.mkdir(parents=True, exist_ok=True)
    settings.results.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten: {settings.results}")


if __name__ == "__main__":
    main()
