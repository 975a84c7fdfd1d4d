import click

from app.domain.consent.commands import send_reminders
from app.extensions import db


@click.command("consent-reminders")
def consent_reminders() -> None:
    """Email the signers of consents that end within 14 days (run once a day)."""
    sent = send_reminders()
    db.session.commit()
    click.echo(f"consent reminders: {sent} queued")
