"""How each page's p95 changes between the smallest and the largest seed: what bench/run.py
reports, apart so it can be tested without locust (which patches the standard library)."""

from __future__ import annotations

import statistics
from collections import defaultdict


def growth(runs: list[dict]) -> list[dict]:
    """Each page's p95 at the largest seed against the smallest, for each database and level.
    With several rounds, each size's p95 is the median of its rounds: the sizes were measured
    in turn, so other work on the machine lands on one round of one size, not on the size."""
    sizes = sorted({run["teams"] for run in runs})
    if len(sizes) < 2:
        return []
    small, large = sizes[0], sizes[-1]
    rounds: dict[tuple, list[dict]] = defaultdict(list)
    for run in runs:
        rounds[run["database"], run["teams"], run["users"]].append(run)
    found = []
    for (database, teams, users), measured in rounds.items():
        base = rounds.get((database, small, users))
        if teams != large or not base:
            continue
        pages = {}
        for name in measured[0]["pages"]:
            before = _median_p95(base, name)
            after = _median_p95(measured, name)
            change = round(100 * (after / before - 1)) if before and after else None
            pages[name] = {"small_p95": before, "large_p95": after, "percent": change}
        found.append(
            {
                "database": database,
                "users": users,
                "small": small,
                "large": large,
                "rounds": len(measured),
                "pages": pages,
            }
        )
    return found


def _median_p95(runs: list[dict], page: str) -> float | None:
    values = [run["pages"][page]["p95"] for run in runs if run["pages"][page]["p95"] is not None]
    return round(statistics.median(values), 1) if values else None
