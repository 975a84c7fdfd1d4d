"""The benchmark's p95 growth between the smallest and the largest seed: with several rounds,
each size counts the median of its rounds, so one disturbed round does not make a trend."""

import importlib.util
from pathlib import Path

SPEC = importlib.util.spec_from_file_location(
    "bench_growth", Path(__file__).resolve().parent.parent / "bench" / "growth.py"
)
growth_module = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(growth_module)


def run(teams: int, p95: float | None, round_: int = 1, users: int = 10) -> dict:
    return {
        "database": "postgresql",
        "teams": teams,
        "users": users,
        "round": round_,
        "pages": {"module page": {"p95": p95}},
    }


def test_one_round_compares_the_two_sizes():
    (compared,) = growth_module.growth([run(1000, 20.0), run(10000, 25.0)])
    assert (compared["small"], compared["large"], compared["rounds"]) == (1000, 10000, 1)
    assert compared["pages"]["module page"] == {
        "small_p95": 20.0,
        "large_p95": 25.0,
        "percent": 25,
    }


def test_a_disturbed_round_does_not_decide():
    runs = [
        *(run(1000, p95, n) for n, p95 in enumerate((20.0, 21.0, 19.0), 1)),
        *(run(10000, p95, n) for n, p95 in enumerate((20.5, 40.0, 21.0), 1)),
    ]
    (compared,) = growth_module.growth(runs)
    assert compared["rounds"] == 3
    assert compared["pages"]["module page"]["percent"] == 5  # 21.0 against 20.0


def test_nothing_to_compare_with_one_size_or_a_missing_number():
    assert growth_module.growth([run(1000, 20.0), run(1000, 22.0, 2)]) == []
    (compared,) = growth_module.growth([run(1000, None), run(10000, 25.0)])
    assert compared["pages"]["module page"]["percent"] is None
    # Each level is compared with the same level at the other size, never across levels.
    assert [
        c["users"]
        for c in growth_module.growth(
            [run(1000, 20.0, users=1), run(10000, 22.0, users=1), run(10000, 30.0, users=10)]
        )
    ] == [1]
