import time

import click

from app.domain.accounts import lockout
from app.platform import idempotency
from app.platform.delivery import deliver_pending
from app.web import unit_of_work


@click.command("outbox")
@click.option("--watch", is_flag=True, help="Keep polling for new emails until stopped.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def outbox(watch: bool, interval: float) -> None:
    """Deliver the emails waiting in the outbox."""
    while True:
        # Each email is claimed, sent and recorded in a transaction of its own.
        sent, failed = deliver_pending()
        # The worker runs on a timer anyway: a good place to drop forms' spent one-time keys
        # and sign-in failures too old to count.
        with unit_of_work.transaction():
            idempotency.prune()
            lockout.prune()
        if sent or failed or not watch:
            click.echo(f"outbox: {sent} sent, {failed} to retry or failed")
        if not watch:
            return
        time.sleep(interval)
