import click

from app.demo.load import load_demo
from app.domain.accounts import commands as accounts
from app.web import unit_of_work


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
def demo(if_empty: bool) -> None:
    """Load the demo practices and care teams (safe to run again)."""
    if if_empty and accounts.count_users():
        click.echo("demo: the database already has users; nothing loaded")
        return
    with unit_of_work.transaction():
        created = load_demo()
    click.echo(f"demo: {created} care team(s) created")
