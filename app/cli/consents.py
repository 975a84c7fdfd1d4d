import click

from app.extensions import db
from app.services.consents import send_reminders


@click.command("consent-reminders")
def consent_reminders() -> None:
    """Email the signers of consents that end within 14 days (run once a day)."""
    sent = send_reminders()
    db.session.commit()
    click.echo(f"consent reminders: {sent} queued")
