"""Translated names for values stored in the database."""

import re
from functools import lru_cache

from babel.lists import format_list
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l

from app.domain.plans.sections import BY_SECTION
from app.models import PlanItem, Role, Section, User
from app.policy.audiences import is_open
from app.policy.plans import is_clinical

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
    if not is_open(user):
        return str(FORMER_MEMBER_AT_START if at_start else FORMER_MEMBER)
    return user.name


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])


def section_title(section: Section | str) -> str:
    return str(BY_SECTION[Section(section)].title)


def audience_label(item: PlanItem, translations: object | None = None) -> str:
    """Who besides the therapists sees an item, as one translated sentence. Templates pass
    the render's translations (app.web), which saves looking them up for every item."""
    return _audience(
        translations if translations is not None else get_translations(),
        item.for_teen,
        item.for_family,
        item.for_school,
        clinical=is_clinical(item.section),
    )


@lru_cache(maxsize=256)
def _audience(
    translations: object, teen: bool, family: bool, school: bool, *, clinical: bool
) -> str:
    # Eight sentences a language at most (one set of translations is one locale), and a plan
    # page shows one for each item.
    who = [
        str(label)
        for shown, label in (
            (teen, _l("the teen")),
            (family, _l("the family")),
            (school, _l("the school, with consent")),
        )
        if shown
    ]
    if clinical or not who:
        return str(_l("Only therapists see this."))
    return str(_l("Seen by: %(who)s", who=format_list(who, locale=get_locale())))


def tel_digits(number: str) -> str:
    """A tel: target: digits, with a leading + kept for international numbers."""
    number = number.strip()
    return ("+" if number.startswith("+") else "") + re.sub(r"[^0-9]", "", number)
