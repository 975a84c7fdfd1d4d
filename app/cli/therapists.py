import click
from sqlalchemy import select

from app.domain.accounts import commands as accounts
from app.domain.errors import ServiceError
from app.extensions import db
from app.models import ConsentRule, Organization, OrgKind, PracticeStaff
from app.web import unit_of_work


@click.command("create-therapist")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--practice", prompt="Practice name")
@click.option("--country", default="US", show_default=True, help="ISO code, e.g. US, GB, ES.")
@click.option(
    "--consent-rule",
    type=click.Choice([rule.value for rule in ConsentRule]),
    default=ConsentRule.BOTH.value,
    show_default=True,
    help="Whose signature a disclosure needs (a new practice only).",
)
@click.option(
    "--consent-age",
    type=click.IntRange(0, 21),
    default=12,
    show_default=True,
    help="From this age the teen's own signature counts (a new practice only).",
)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_therapist(
    email: str,
    name: str,
    practice: str,
    country: str,
    consent_rule: str,
    consent_age: int,
    password: str,
) -> None:
    """Create a therapist and, if needed, their practice."""
    with unit_of_work.transaction():
        organization = db.session.scalars(
            select(Organization).where(
                Organization.name == practice, Organization.kind == OrgKind.PRACTICE
            )
        ).first()
        if organization is None:
            organization = Organization(
                name=practice,
                kind=OrgKind.PRACTICE,
                country=country.upper(),
                consent_rule=ConsentRule(consent_rule),
                consent_teen_age=consent_age,
            )
            db.session.add(organization)
        try:
            user = accounts.create_user(email, name, password)
        except ServiceError as error:
            raise click.ClickException(error.message) from error
        db.session.flush()
        db.session.add(PracticeStaff(user_id=user.id, organization_id=organization.id))
    click.echo(f"Therapist {user.email} can now sign in at {practice}.")
