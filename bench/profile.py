"""Where a page's time goes: its requests run in this process under pyinstrument, against a
database `make bench` seeded, with the SQL they ran.

    .venv/bin/python bench/profile.py [--url URL] [--requests N] ["plan: teen" ...]

It prints, for each page (all the pages but health by default): milliseconds per request, SQL
statements and SQL milliseconds per request, and the call tree pyinstrument recorded. It times
one process without gunicorn or a load generator, so its numbers are not the benchmark's; they
say which code to look at.
"""

from __future__ import annotations

import argparse
import os
import secrets
import time

from pages import GETS, MODULE_LINK, ROLES, TEAM_LINK, TEEN, account, found

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/harbor_bench_1k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="page names, as in the benchmark's table")
    parser.add_argument("--url", default=DEFAULT_URL, help=f"the database (default {DEFAULT_URL})")
    parser.add_argument("--team", type=int, default=1, help="whose pages: team number (1)")
    parser.add_argument("--requests", type=int, default=50, help="per page (50)")
    parser.add_argument(
        "--time", action="store_true", help="time the requests only, without pyinstrument"
    )
    parser.add_argument(
        "--sql", action="store_true", help="list each statement with its time and rows"
    )
    args = parser.parse_args()
    pages = list(GETS)
    if args.pages:
        known = {page.name: page for page in pages}
        unknown = set(args.pages) - set(known)
        if unknown:
            parser.error(f"unknown pages {sorted(unknown)}; known: {sorted(known)}")
        pages = [known[name] for name in args.pages]

    # The benchmark's settings, read when the app is created below.
    os.environ.update(
        HARBOR_ENV="benchmark",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=args.url,
        MFA_REQUIRED_FOR_THERAPISTS="0",
        RATELIMIT_ENABLED="0",
    )
    from pyinstrument import Profiler
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app()
    # The test client posts no CSRF token; signing in is not what is profiled.
    app.config["WTF_CSRF_ENABLED"] = False
    password = os.environ.get("BENCH_PASSWORD", "harbor-bench")
    clients = {None: app.test_client()}
    for role in ROLES:
        clients[role] = app.test_client()
        signed_in = clients[role].post(
            "/login", data={"email": account(role, args.team), "password": password}
        )
        if signed_in.status_code != 302:
            raise SystemExit(f"{account(role, args.team)} could not sign in at {args.url}")
    team = found(TEAM_LINK, clients[TEEN].get("/teen/").text, "0")
    module = found(MODULE_LINK, clients[TEEN].get("/modules/").text, "none")

    sql = {"statements": 0, "seconds": 0.0}
    started: list[float] = []
    # Each statement's text: (times run, seconds, rows), for --sql.
    statements: dict[str, list] = {}

    def before(*_args) -> None:
        started.append(time.perf_counter())

    def after(_conn, cursor, statement, *_args) -> None:
        seconds = time.perf_counter() - started.pop()
        sql["statements"] += 1
        sql["seconds"] += seconds
        seen = statements.setdefault(statement, [0, 0.0, 0])
        seen[0] += 1
        seen[1] += seconds
        seen[2] += max(cursor.rowcount, 0)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)

    for page in pages:
        client, url = clients[page.role], page.url(team, module)
        client.get(url)  # templates compiled, caches filled
        sql.update(statements=0, seconds=0.0)
        statements.clear()
        profiler = Profiler()
        if not args.time:
            profiler.start()
        began = time.perf_counter()
        for _ in range(args.requests):
            response = client.get(url)
        elapsed = time.perf_counter() - began
        if not args.time:
            profiler.stop()
        if response.status_code != 200:
            raise SystemExit(f"{page.name}: {url} answered {response.status_code}")
        n = args.requests
        print(
            f"\n=== {page.name} ({url}): {1000 * elapsed / n:.1f} ms a request, "
            f"{sql['statements'] / n:.0f} SQL statements taking {1000 * sql['seconds'] / n:.1f} ms"
        )
        if args.sql:
            for statement, (times, seconds, rows) in statements.items():
                print(
                    f"--- {1000 * seconds / times:.2f} ms, {rows / times:.0f} rows, "
                    f"{times / n:.0f} a request\n{' '.join(statement.split())[:600]}"
                )
        if not args.time:
            print(profiler.output_text(color=False, unicode=True))


if __name__ == "__main__":
    main()
