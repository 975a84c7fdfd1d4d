import click

from app.domain.consent.commands import send_reminders
from app.web import unit_of_work


@click.command("consent-reminders")
def consent_reminders() -> None:
    """Email the signers of consents that end within 14 days (run once a day)."""
    with unit_of_work.transaction():
        sent = send_reminders()
    click.echo(f"consent reminders: {sent} queued")
