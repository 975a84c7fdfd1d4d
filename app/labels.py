"""Translated names for values stored in the database."""

from flask_babel import lazy_gettext as _l

from app.models import Role

ROLE_LABELS = {
    Role.TEEN: _l("Teen"),
    Role.GUARDIAN: _l("Parent or guardian"),
    Role.SCHOOL: _l("School counselor"),
    Role.THERAPIST: _l("Therapist"),
}


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])
