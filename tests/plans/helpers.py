"""Builders for plans, and the canary texts used to prove who can see what."""

from datetime import date, timedelta

from app.domain.plans import commands as plans
from app.domain.plans.commands import ItemInput
from app.extensions import db
from app.models import Section

CLINICAL = "CANARY-clinical-note"
TEEN_ONLY = "CANARY-teen-only"
FAMILY = "CANARY-family"
SCHOOL = "CANARY-school"
NOBODY = "CANARY-unticked"


def canary_items() -> list[ItemInput]:
    return [
        ItemInput(
            Section.CLINICAL_NOTES, CLINICAL, 1, for_teen=True, for_family=True, for_school=True
        ),
        ItemInput(Section.COPING_ALONE, TEEN_ONLY, 1, for_teen=True),
        ItemInput(Section.FAMILY_HELP, FAMILY, 1, for_family=True),
        ItemInput(Section.SCHOOL_PLAN, SCHOOL, 1, for_school=True, phone="+1 312 555 0100"),
        ItemInput(Section.GOALS, NOBODY, 1),
        ItemInput(
            Section.HELP_PEOPLE,
            "Aunt Rosa",
            1,
            for_teen=True,
            for_family=True,
            phone="+1 312 555 0199",
        ),
        ItemInput(
            Section.WARNING_SIGNS,
            "Staying in my room all evening",
            1,
            for_teen=True,
            for_family=True,
        ),
    ]


def save(team, items=None, base=None, review_due=None):
    current = plans.plan_of(team.id)
    version = plans.save_version(
        team.memberships["therapist"],
        team.therapist,
        base_number=base if base is not None else (current.current_number if current else 0),
        items=items if items is not None else canary_items(),
        review_due=review_due or date.today() + timedelta(days=30),
    )
    db.session.commit()
    return version


def form_data(items, base_number, review_due=None) -> dict:
    """The editor's POST body for these items (keys as given)."""
    data = {
        "base_number": str(base_number),
        "review_due": (review_due or date.today() + timedelta(days=30)).isoformat(),
    }
    for index, item in enumerate(items):
        prefix = f"items-{index}-"
        data[prefix + "key"] = item.get("key", "")
        data[prefix + "section"] = item["section"]
        data[prefix + "text"] = item.get("text", "")
        data[prefix + "phone"] = item.get("phone", "")
        data[prefix + "position"] = str(item.get("position", index + 1))
        for flag in ("for_teen", "for_family", "for_school", "remove"):
            if item.get(flag):
                data[prefix + flag] = "y"
    return data
