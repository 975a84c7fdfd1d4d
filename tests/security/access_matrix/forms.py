"""Plausible form data per endpoint: what the page's own form would send."""

from __future__ import annotations

import secrets
from datetime import timedelta

from app.domain.checkins import commands as checkins
from app.models import Scope
from tests.factories import PASSWORD
from tests.plans.helpers import form_data
from tests.security.access_matrix.world import NEW_PASSWORD, TeamWorld, module_for


def _me(caller, world: TeamWorld):
    return world.people[caller.member_key]


def _consent_form(caller, world: TeamWorld) -> dict[str, str]:
    today = checkins.today_in(None)
    return {
        "scope": Scope.SCHOOL_PLAN.value,
        "recipient": str(world.people["school"].membership_id),
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=90)).isoformat(),
        "purpose": "So the counselor can follow the school plan.",
        "typed_name": _me(caller, world).name,
        "password": PASSWORD,
    }


def _checkin_form(caller, world: TeamWorld) -> dict[str, str]:
    return {
        "day": checkins.today_in(None).isoformat(),
        "urge": "5",
        "thoughts": "0",
        "acted": "no",
        "note": world.canary("CHECKIN-NOTE"),
    }


def _new_password(_caller, _world) -> dict[str, str]:
    return {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}


FORMS = {
    "auth.login": lambda c, w: {"email": _me(c, w).email, "password": PASSWORD},
    "auth.reset_request": lambda c, w: {"email": w.people["guardian2"].email},
    "auth.reset_password": _new_password,
    "auth.accept_invitation": lambda c, w: {"name": "New Guardian", **_new_password(c, w)},
    "account.language": lambda c, w: {"language": "en", "next": "/help"},
    "account.settings": lambda c, w: {
        "name": _me(c, w).name,
        "language": "en",
        "timezone": "America/Chicago",
    },
    "account.password": lambda c, w: {"current": PASSWORD, **_new_password(c, w)},
    "therapist.new_team": lambda c, w: {
        "practice": str(w.practice_id),
        "teen_name": "New Teen",
        "teen_birth_date": "2011-06-01",
    },
    "therapist.invite": lambda c, w: {
        "email": f"invitee-{secrets.token_hex(3)}@example.org",
        "role": "guardian",
        "relation_label": "Aunt",
    },
    "therapist.alert": lambda c, w: {"note": "Called the family."},
    "therapist.checkin_settings": lambda c, w: {"urge_at": "4", "thoughts_at": "3"},
    "therapist.restrict_member": lambda c, w: {"reason": "Court order."},
    "therapist.safety_share": lambda c, w: {
        "item": w.shared_item_key,
        "audience": "school",
        "reason": "Serious and imminent risk.",
    },
    "therapist.plan_edit": lambda c, w: form_data(
        [{"section": "warning_signs", "text": "Staying in my room", "for_teen": True}], 2
    ),
    "modules.team": lambda c, w: {
        "module": module_for("school").slug,
        "assignee": "role:school",
    },
    "modules.answer": lambda c, w: {"option": "1"},
    "family.plan_acknowledge": lambda c, w: {"number": "2"},
    "school.plan_acknowledge": lambda c, w: {"number": "2"},
    "teen.plan_acknowledge": lambda c, w: {"number": "2"},
    "teen.checkin": _checkin_form,
    "consent.new": _consent_form,
    "consent.show": lambda c, w: {"typed_name": _me(c, w).name, "password": PASSWORD},
    "messages.post": lambda c, w: {"body": "A new message from the matrix."},
    "messages.edit": lambda c, w: {"body": "Changed by its author."},
    "messages.hide": lambda c, w: {"reason": "Names another family."},
    "messages.school_choice": lambda c, w: {"include": "1"},
    "account.confirm": lambda c, w: {"password": PASSWORD, "next": "/account/settings"},
    "account.delete_account": lambda c, w: {"confirm": "DELETE"},
    "account.two_factor_setup": lambda c, w: {"code": "000000"},
    "auth.login_two_factor": lambda c, w: {"code": "000000"},
}
