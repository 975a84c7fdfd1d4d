import sys

import click

from app.domain.errors import ServiceError
from app.seed import scale as seed_scale


@click.command("seed")
@click.option("--teams", type=click.IntRange(min=1), required=True, help="How many care teams.")
@click.option(
    "--seed",
    "random_seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same seed gives the same data.",
)
@click.option(
    "--password",
    envvar="BENCH_PASSWORD",
    show_envvar=True,
    default="harbor-bench",
    show_default=True,
    help="Every seeded account's password.",
)
@click.option(
    "--append", is_flag=True, help="Add teams after the bench teams already in the database."
)
def seed(teams: int, random_seed: int, password: str, append: bool) -> None:
    """Seed N synthetic care teams for benchmarks (refuses a database that has some, unless
    --append, which numbers on from the last one).

    \b
    Accounts, all @bench.harbor.example, p and i counted from 1:
      therapist{p}  practice p (one per 50 teams), leads teams 50(p-1)+1 .. 50p
      teen{i}  guardian{i}  counselor{i}  team i; one school per 50 teams
    Each team: a plan in 3 versions (~22 items), 365 days of check-ins ending
    yesterday (none today), 200 messages (170 in the family thread), one module
    each for teen, guardian and counselor, school and check-in-summary consents in
    force, acknowledgements, 4 alerts (1 open), a year of audit events. Two-factor
    is off for every account; run the app with MFA_REQUIRED_FOR_THERAPISTS off.
    """
    try:
        with click.progressbar(length=teams, label="Seeding teams", file=sys.stderr) as bar:
            summary = seed_scale.seed(
                teams,
                password=password,
                random_seed=random_seed,
                append=append,
                on_chunk=bar.update,
            )
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    last = summary.first_team + summary.teams - 1
    rate = summary.teams / summary.seconds if summary.seconds else 0
    click.echo(
        f"seed: teams {summary.first_team}..{last}, {summary.users} users, "
        f"{summary.seconds:.1f} s ({rate:.1f} teams/s)"
    )
    for table, count in sorted(summary.rows.items()):
        click.echo(f"  {table:<22} {count:>12,}")
