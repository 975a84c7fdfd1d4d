"""Translated names for values stored in the database."""

import re

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.models import PlanItem, Role, Section, User
from app.plan_sections import BY_SECTION

ROLE_LABELS = {
    Role.TEEN: _l("Teen"),
    Role.GUARDIAN: _l("Parent or guardian"),
    Role.SCHOOL: _l("School counselor"),
    Role.THERAPIST: _l("Therapist"),
}


FORMER_MEMBER = _l("a former member")
FORMER_MEMBER_AT_START = _l("A former member")


def person_name(user: User | None, *, at_start: bool = False) -> str:
    """The name to show for a person: theirs, or "a former member" once the account is gone
    (erased, or its membership removed). Every page names people through this."""
    if user is None or user.deleted_at is not None:
        return str(FORMER_MEMBER_AT_START if at_start else FORMER_MEMBER)
    return user.name


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])


def section_title(section: Section | str) -> str:
    return str(BY_SECTION[Section(section)].title)


def audience_label(item: PlanItem) -> str:
    """Who besides the therapists sees an item, as one translated sentence."""
    who = [
        str(label)
        for shown, label in (
            (item.for_teen, _l("the teen")),
            (item.for_family, _l("the family")),
            (item.for_school, _l("the school, with consent")),
        )
        if shown
    ]
    if item.section == Section.CLINICAL_NOTES or not who:
        return str(_l("Only therapists see this."))
    return str(_l("Seen by: %(who)s", who=format_list(who, locale=get_locale())))


def tel_digits(number: str) -> str:
    """A tel: target: digits, with a leading + kept for international numbers."""
    number = number.strip()
    return ("+" if number.startswith("+") else "") + re.sub(r"[^0-9]", "", number)
