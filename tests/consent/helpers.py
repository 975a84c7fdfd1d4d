from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Consent
from tests.factories import PASSWORD


def start_form(scope="school_plan", recipient=0, name="", starts=None, ends=None, **extra):
    starts = starts or date.today()
    ends = ends or starts + timedelta(days=90)
    return {
        "scope": scope,
        "recipient": str(recipient),
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
        "purpose": "So the counselor can follow the school plan.",
        "typed_name": name,
        "password": PASSWORD,
        **extra,
    }


def start(client, team, signer="guardian", scope="school_plan", **extra):
    user = team.users[signer]
    recipient = team.memberships["school"].id if scope != "checkin_summary" else 0
    response = client.post(
        f"/teams/{team.id}/consents/new",
        data=start_form(scope, recipient, user.name, **extra),
    )
    return response


def latest_consent() -> Consent:
    return db.session.scalars(select(Consent).order_by(Consent.id.desc())).first()


def sign(client, team, consent, signer="teen"):
    return client.post(
        f"/teams/{team.id}/consents/{consent.id}",
        data={"typed_name": team.users[signer].name, "password": PASSWORD},
    )
