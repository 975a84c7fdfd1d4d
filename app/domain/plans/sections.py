"""The twelve sections of a care plan: Harbor's own headings, order and default audiences."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.models import Section


@dataclass(frozen=True)
class SectionInfo:
    section: Section
    title: object  # a lazy string
    hint: object
    teen: bool
    family: bool
    school: bool
    has_phone: bool = False
    safety_step: int | None = None  # its place in the Help now walk-through


SECTIONS: tuple[SectionInfo, ...] = (
    SectionInfo(
        Section.WARNING_SIGNS,
        _l("Signs that a hard moment is coming"),
        _l("Thoughts, feelings and situations that come before a crisis."),
        True,
        True,
        False,
        safety_step=1,
    ),
    SectionInfo(
        Section.COPING_ALONE,
        _l("Things I can do on my own"),
        _l("Ways to get through the moment without anyone else."),
        True,
        False,
        False,
        safety_step=2,
    ),
    SectionInfo(
        Section.DISTRACTIONS,
        _l("People and places that take my mind off things"),
        _l("Company and settings that help the feeling pass."),
        True,
        False,
        False,
        has_phone=True,
        safety_step=3,
    ),
    SectionInfo(
        Section.HELP_PEOPLE,
        _l("People I can ask for help"),
        _l("Trusted people to call or text, with their numbers."),
        True,
        True,
        False,
        has_phone=True,
        safety_step=4,
    ),
    SectionInfo(
        Section.PROFESSIONALS,
        _l("Professionals and crisis lines"),
        _l("The therapist, other clinicians and services to contact."),
        True,
        True,
        True,
        has_phone=True,
        safety_step=5,
    ),
    SectionInfo(
        Section.SAFER_SURROUNDINGS,
        _l("Making my surroundings safer"),
        _l(
            "Agreed steps at home and at school that put time and distance between an urge "
            "and harm."
        ),
        True,
        True,
        False,
        safety_step=6,
    ),
    SectionInfo(
        Section.REASONS,
        _l("What matters most to me"),
        _l("Reasons for living, in the teen's own words."),
        True,
        False,
        False,
        safety_step=7,
    ),
    SectionInfo(
        Section.COPING_STEPS,
        _l("My coping steps"),
        _l('Agreed steps in the form "When …, I will …". The teen checks these each day.'),
        True,
        True,
        False,
    ),
    SectionInfo(
        Section.GOALS,
        _l("Goals of treatment"),
        _l("What the teen and the team are working towards."),
        True,
        True,
        False,
    ),
    SectionInfo(
        Section.FAMILY_HELP,
        _l("How my family helps"),
        _l("Responses agreed with the parents, and what to avoid."),
        True,
        True,
        False,
    ),
    SectionInfo(
        Section.SCHOOL_PLAN,
        _l("School plan"),
        _l("Warning signs and steps at school, accommodations, who to call, returning to school."),
        True,
        True,
        True,
        has_phone=True,
    ),
    SectionInfo(
        Section.CLINICAL_NOTES,
        _l("Clinical notes"),
        _l("Only therapists ever see these. They are never shown or exported to anyone else."),
        False,
        False,
        False,
    ),
)

BY_SECTION = {info.section: info for info in SECTIONS}
SAFETY_STEPS = tuple(info for info in SECTIONS if info.safety_step)
