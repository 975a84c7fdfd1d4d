"""Command-line entry points, thin wrappers over services."""

from flask import Flask


def register(app: Flask) -> None:
    from app.cli import consents, demo, outbox, seed, therapists

    app.cli.add_command(demo.demo)
    app.cli.add_command(outbox.outbox)
    app.cli.add_command(therapists.create_therapist)
    app.cli.add_command(consents.consent_reminders)
    app.cli.add_command(seed.seed)
