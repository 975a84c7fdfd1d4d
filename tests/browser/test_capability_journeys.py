"""Journeys through Harbor's main capabilities, clicked as each person would: the care plan
(edit, agree, what changed, a conflict), the plan without JavaScript, a lesson with its
practice questions, consents and the school thread, and the daily check-in on a phone.

They share the server and the demo data with every other journey, so each one writes text of
its own (named after the viewport) and finds its records by what it wrote, in any order."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.content.modules import Scenario, library
from tests.browser.harness import Tab
from tests.browser.steps import DEMO_PASSWORD, es, open_team, sign_in

pytestmark = pytest.mark.browser


def _section(tab: Tab, title: str):
    """A plan section as a reader finds it: a region named by its heading."""
    return tab.page.get_by_role("region", name=title, exact=True)


def _editor_section(tab: Tab, title: str):
    """A section of the plan editor: a fieldset whose legend is "<number>. <title>"."""
    return tab.page.get_by_role("group", name=re.compile(rf"^\d+\. {re.escape(title)}$"))


def _open_editor(tab: Tab) -> None:
    """From the therapist's dashboard: Maya's team, her care plan, the editor."""
    open_team(tab, "Maya Alvarez")
    tab.click(tab.page.get_by_role("link", name="Care plan", exact=True))
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Care plan")
    tab.click(tab.page.get_by_role("link", name="Edit the plan"))
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Edit Maya Alvarez's care plan")


def _save_plan(tab: Tab) -> None:
    # The editor has the button at its top and at its foot; a person at the foot uses that one.
    tab.click(tab.page.get_by_role("button", name="Save as a new version").last)


# -- 1. The care plan: the therapist edits, the teen agrees, a guardian sees what changed ------


def test_plan_edit_reaches_the_teen_and_the_family(new_tab, viewport):
    new_text = f"Sit with Maya for ten minutes after dinner, no questions asked ({viewport})"
    page = (therapist := new_tab().goto("/login")).page
    sign_in(therapist, "therapist@demo.example")
    _open_editor(therapist)
    blank = _editor_section(therapist, "How my family helps").get_by_role("group", name="New item")
    blank.get_by_label("Text", exact=True).fill(new_text)
    blank.get_by_label("Family", exact=True).check()
    expect(blank.get_by_label("Teen", exact=True)).to_be_checked()  # the section's default
    expect(blank.get_by_label("School", exact=True)).not_to_be_checked()
    _save_plan(therapist)
    assert therapist.path == "/therapist/teams/1/plan"
    expect(page.get_by_role("status")).to_contain_text("The plan is saved as a new version.")
    saved = (
        _section(therapist, "How my family helps").get_by_role("listitem").filter(has_text=new_text)
    )
    expect(saved).to_contain_text("Seen by: the teen and the family")
    version = re.search(r"Version (\d+),", page.locator("main .meta").first.inner_text())
    assert version, "the plan page names its version"

    # The teen reads the new version, checks what the family will see, and agrees.
    page = (teen := new_tab().goto("/login")).page
    sign_in(teen, "teen@demo.example")
    expect(page.get_by_text(f"Version {version[1]} of your plan is ready")).to_be_visible()
    teen.click(page.get_by_role("link", name="Read my plan"))
    assert teen.path == "/teen/plan"
    expect(_section(teen, "How my family helps")).to_contain_text(new_text)
    teen.click(page.get_by_role("link", name="What my family sees"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What my family sees")
    expect(_section(teen, "How my family helps")).to_contain_text(new_text)
    expect(_section(teen, "Things I can do on my own")).to_have_count(0)  # the teen's own
    teen.click(page.get_by_role("link", name="Back to my plan"))
    teen.click(page.get_by_role("button", name="I agree to this plan"))
    assert teen.path == "/teen/plan"
    expect(page.get_by_role("status")).to_contain_text("Your agreement to this plan is saved.")
    expect(page.get_by_text("You agreed to this version.")).to_be_visible()
    expect(page.get_by_role("button", name="I agree to this plan")).to_have_count(0)

    # David (parent-b) last read version 2: the new item is among what changed since then.
    page = (guardian := new_tab().goto("/login")).page
    sign_in(guardian, "parent-b@demo.example")
    expect(page.get_by_text(f"Version {version[1]} is new since you last read")).to_be_visible()
    guardian.click(page.get_by_role("link", name="Read the family part of the plan"))
    assert guardian.path == "/family/plan"
    expect(_section(guardian, "How my family helps")).to_contain_text(new_text)
    expect(page.get_by_text("Thinking that everything is my fault")).to_have_count(0)  # teen only
    changes = page.get_by_role(
        "region", name="What changed since you last read it (version 2)", exact=True
    )
    expect(changes).to_be_visible()
    expect(changes.get_by_role("listitem").filter(has_text=new_text)).to_contain_text("New")


def test_plan_saved_in_another_tab_is_a_conflict_that_keeps_my_text(new_tab, viewport):
    theirs, mine = (
        f"Reviewed sleep diary ({viewport}, tab 1)",
        f"Call school on Monday ({viewport}, tab 2)",
    )
    first, second = new_tab().goto("/login"), new_tab().goto("/login")
    for tab in (first, second):
        sign_in(tab, "therapist@demo.example")
        tab.goto("/therapist/teams/1/plan/edit")  # both open the same version

    # Clinical notes: only therapists see them, so other journeys' readers are not disturbed.
    notes = _editor_section(first, "Clinical notes").get_by_role("group", name="New item")
    notes.get_by_label("Text", exact=True).fill(theirs)
    _save_plan(first)
    expect(first.page.get_by_role("status")).to_contain_text("The plan is saved as a new version.")

    page = second.page
    notes = _editor_section(second, "Clinical notes").get_by_role("group", name="New item")
    notes.get_by_label("Text", exact=True).fill(mine)
    _save_plan(second)
    assert second.path == "/therapist/teams/1/plan/edit"
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Dr. Sarah Chen saved version")
    expect(alert).to_contain_text("while you were editing")
    expect(page.locator("details.theirs")).to_contain_text(theirs)  # what was saved meanwhile
    notes = _editor_section(second, "Clinical notes").get_by_role("group", name="New item")
    expect(notes.get_by_label("Text", exact=True)).to_have_value(mine)  # and my text, kept


# -- 2. The plan without JavaScript -------------------------------------------------------------


def test_teen_reads_the_plan_and_help_now_without_javascript(new_tab):
    page = (tab := new_tab(javascript=False).goto("/login")).page
    sign_in(tab, "teen@demo.example")
    assert tab.path == "/teen/"
    tab.click(page.get_by_role("link", name="Read my plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    expect(_section(tab, "Things I can do on my own")).to_contain_text(
        "Splash cold water on my face"
    )
    expect(page.get_by_role("link", name="What my family sees")).to_be_visible()

    tab.click(page.get_by_role("link", name="Get help now"))  # the header's, for a teen
    assert tab.path == "/teen/help-now"
    expect(page.get_by_role("heading", level=1)).to_have_text("Help now")
    expect(page.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    steps = page.locator("ol.steps > li")
    expect(steps.first).to_contain_text("Signs that a hard moment is coming")
    expect(steps.nth(1)).to_contain_text("Splash cold water on my face")
    expect(page.get_by_role("link", name="Call 988").first).to_have_attribute("href", "tel:988")


# -- 3. A lesson, section by section, with its practice questions --------------------------------

# Each viewport reads its own lesson, so the two runs do not find each other's finished one.
LESSONS = {"phone": "safer-home", "desktop": "practical-care"}


def test_parent_reads_a_lesson_and_answers_its_practice_questions(new_tab, viewport):
    lesson = library().get(LESSONS[viewport], "en")
    page = (tab := new_tab().goto("/login")).page
    sign_in(tab, "parent@demo.example")
    tab.click(page.get_by_role("link", name="Learn: short lessons with practice questions"))
    assert tab.path == "/modules/"
    tab.click(page.get_by_role("link", name=lesson.title, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    expect(page.locator("main")).to_contain_text("Not started")
    tab.click(page.get_by_role("link", name="Start"))

    for number in range(1, lesson.step_count + 1):
        expect(page.get_by_text(f"Page {number} of {lesson.step_count}")).to_be_visible()
        step = lesson.step(number)
        if not isinstance(step, Scenario):
            expect(page.get_by_role("heading", level=1)).to_have_text(step.heading)
        else:
            expect(page.get_by_role("heading", level=1)).to_have_text("Practice question")
            best = step.option(step.best)
            page.get_by_role("group", name=step.prompt).get_by_label(best.text, exact=True).check()
            tab.click(page.get_by_role("button", name="Check my answer"))
            feedback = page.get_by_role("region", name="This answer helps most")
            expect(feedback).to_contain_text(best.feedback)
            expect(page.get_by_label(best.text, exact=True)).to_be_checked()  # kept
        last = number == lesson.step_count
        tab.click(page.get_by_role("button", name="Finish" if last else "Next page"))

    assert tab.path == f"/modules/{lesson.slug}/"
    expect(page.get_by_role("status")).to_contain_text("You finished this lesson.")
    expect(page.locator("main")).to_contain_text("Finished on")
    expect(page.get_by_role("link", name="Read it again")).to_be_visible()
    tab.click(page.get_by_role("link", name="All lessons"))
    listed = page.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=lesson.title, exact=True)
    )
    expect(listed).to_contain_text("Finished on")


# -- 4. Consents, the school plan and the school thread (team 2, in Spanish) ----------------------

COUNSELOR = "Carmen Ruiz"
SCOPES = {
    "school_plan": "The school part of the care plan",
    "school_thread": "The school conversation with the care team",
}


def _counselor_plan_reads(tab: Tab) -> int:
    rows = tab.page.get_by_role("row").filter(has_text=COUNSELOR)
    return rows.filter(has_text=es("Read the care plan")).count()


def _give_consent(tab: Tab, scope: str, purpose: str) -> str:
    """The guardian, on the consents page, gives a consent naming the counselor and signs it;
    returns the consent's path."""
    page = tab.page
    tab.click(page.get_by_role("link", name=es("Give a new consent")))
    page.get_by_label(es("What may be seen"), exact=True).select_option(scope)
    page.get_by_label(es("Who may see it (for the school choices)"), exact=True).select_option(
        label=COUNSELOR
    )
    page.get_by_label(es("Purpose"), exact=True).fill(purpose)
    page.get_by_label(es("Type your full name to sign"), exact=True).fill("Lucía Ramírez")
    page.get_by_label(es("Your password"), exact=True).fill(DEMO_PASSWORD)
    tab.click(page.get_by_role("button", name=es("Sign this consent")))
    assert re.fullmatch(r"/teams/2/consents/\d+", tab.path), tab.path
    expect(page.get_by_role("heading", level=1)).to_have_text(es(SCOPES[scope]))
    expect(page.get_by_role("status")).to_contain_text(
        es("Your consent is signed. It is in force once everyone needed has signed.")
    )
    expect(page.locator("main")).to_contain_text(es("Waiting for signatures"))
    return tab.path


def _teen_signs(tab: Tab, consent: str, scope: str) -> None:
    """The teen, on the consents page, opens the consent waiting for them and signs it."""
    page = tab.page
    waiting = page.get_by_role("listitem").filter(has=page.locator(f'a[href="{consent}"]'))
    expect(waiting).to_contain_text(es("Waiting for signatures"))
    tab.click(waiting.get_by_role("link", name=es(SCOPES[scope]), exact=True))
    page.get_by_label(es("Type your full name to sign"), exact=True).fill("Diego Ramírez")
    page.get_by_label(es("Your password"), exact=True).fill(DEMO_PASSWORD)
    tab.click(page.get_by_role("button", name=es("I agree and sign")))
    assert tab.path == consent
    expect(page.get_by_role("status")).to_contain_text(es("You signed this consent."))
    expect(page.locator("main")).to_contain_text(es("In force"))
    tab.click(page.get_by_role("link", name=es("All consents")))


def test_family_consents_open_the_school_plan_and_thread_until_withdrawn(new_tab, viewport):
    message = f"Diego llegó tranquilo hoy y pasó a verme en el recreo ({viewport})."
    # Lucía checks who has seen the records, then gives two consents for the counselor.
    page = (guardian := new_tab().goto("/login")).page
    sign_in(guardian, "parent2@demo.example")
    assert guardian.path == "/family/"
    guardian.click(page.get_by_role("link", name=es("Who has seen the records")))
    reads_before = _counselor_plan_reads(guardian)
    guardian.click(page.get_by_role("link", name=es("Home"), exact=True))
    guardian.click(page.get_by_role("link", name=es("Consents"), exact=True))
    plan_consent = _give_consent(guardian, "school_plan", f"Seguir el plan escolar ({viewport})")
    guardian.click(page.get_by_role("link", name=es("All consents")))
    thread_consent = _give_consent(guardian, "school_thread", f"Hablar con la escuela ({viewport})")

    # The practice asks for the teen's signature too: Diego signs both.
    page = (teen := new_tab().goto("/login")).page
    sign_in(teen, "teen2@demo.example")
    teen.click(page.get_by_role("link", name=es("What the school and my parents may see")))
    _teen_signs(teen, plan_consent, "school_plan")
    _teen_signs(teen, thread_consent, "school_thread")

    # The counselor reads the school plan and writes in the school thread.
    page = (counselor := new_tab().goto("/login")).page
    sign_in(counselor, "counselor2@demo.example")
    assert counselor.path == "/school/"
    counselor.click(page.get_by_role("link", name=es("Read the school plan")))
    assert counselor.path == "/school/plan"
    expect(page.locator("main")).to_contain_text("Diego puede ir con la orientadora")
    expect(page.get_by_text("Ideación pasiva")).to_have_count(0)  # clinical notes never
    counselor.click(page.get_by_role("link", name=es("Home"), exact=True))
    counselor.click(page.get_by_role("link", name=re.compile(rf"^{es('Messages')}")))
    counselor.click(page.get_by_role("link", name=es("School"), exact=True))
    assert counselor.path == "/teams/2/messages/school"
    page.get_by_label(es("Your message"), exact=True).fill(message)
    counselor.click(page.get_by_role("button", name=es("Send"), exact=True))
    expect(page.get_by_role("status")).to_contain_text(es("Your message was sent."))
    expect(page.locator("ol.messages")).to_contain_text(message)
    counselor.click(page.get_by_role("link", name=es("Home"), exact=True))
    plan_link = page.get_by_role("link", name=es("Read the school plan"))

    # Lucía withdraws the school-plan consent; it stops at once.
    page = guardian.page
    guardian.click(page.get_by_role("link", name=es("All consents")))
    guardian.click(page.locator(f'a[href="{plan_consent}"]'))
    guardian.click(page.get_by_role("button", name=es("Withdraw this consent")))
    expect(page.get_by_role("status")).to_contain_text(
        es("The consent is withdrawn. It stopped at once.")
    )
    expect(page.locator("main")).to_contain_text(es("Withdrawn"))

    counselor.click(plan_link)  # the link on the page they still have open
    assert counselor.path == "/school/plan"
    expect(counselor.page.get_by_role("heading", level=1)).to_have_text(es("Page not found"))
    expect(counselor.page.get_by_text("Diego puede ir con la orientadora")).to_have_count(0)

    # The counselor's read is in what the family sees of who has seen the records.
    guardian.click(page.get_by_role("link", name=es("All consents")))
    guardian.click(page.get_by_role("link", name=es("Who has seen the records")))
    assert _counselor_plan_reads(guardian) == reads_before + 1


# -- 5. The daily check-in on a phone -----------------------------------------------------------


@pytest.mark.parametrize("viewport", ["phone"])
def test_teen_checks_in_on_a_phone_and_a_hard_day_opens_help_now(new_tab, viewport):
    page = (tab := new_tab().goto("/login")).page
    sign_in(tab, "teen@demo.example")
    tab.click(page.get_by_role("link", name="Daily check-in"))
    assert tab.path == "/teen/check-in"  # the demo may have today's already: then it is edited

    for feeling, value in (("Calm", "3"), ("Hopeful", "2"), ("Anxious", "1")):
        _pick(page.get_by_role("group", name=feeling, exact=True), value)
    _answer(tab, urge="0", thoughts="0")
    steps = page.locator("#coping").get_by_role("group")
    expect(steps.first).to_be_visible()
    _pick(steps.first, "Helped a lot")
    page.get_by_label("Anything else about today? (optional)", exact=True).fill("Art club was fun.")
    tab.click(page.get_by_role("button", name=re.compile(r"^Save my (check-in|changes)$")))
    assert tab.path == "/teen/check-in/done"
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for checking in")
    expect(page.get_by_role("heading", name="Your Help now steps")).to_have_count(0)
    tab.audit_at("desktop")

    # Later the same day the urge is strong: the Help now steps come straight away.
    tab.click(page.get_by_role("link", name="Change today’s answers"))
    expect(page.get_by_text("You checked in today.")).to_be_visible()
    expect(
        page.get_by_role("group", name="Calm", exact=True).get_by_label("3", exact=True)
    ).to_be_checked()
    _answer(tab, urge="5", thoughts="0")
    tab.click(page.get_by_role("button", name="Save my changes"))
    assert tab.path == "/teen/check-in/done"
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for being honest")
    expect(page.get_by_role("heading", name="Your Help now steps")).to_be_visible()
    expect(page.locator("ol.steps")).to_contain_text("Splash cold water on my face")
    expect(page.get_by_role("heading", name="Talk to someone now")).to_have_count(0)
    tab.audit_at("desktop")
    tab.click(page.get_by_role("link", name="Open my whole safety plan"))
    assert tab.path == "/teen/help-now"


def _answer(tab: Tab, *, urge: str, thoughts: str) -> None:
    page = tab.page
    for legend, value in (
        ("How strong was the urge to self-harm today?", urge),
        ("How strong were thoughts of suicide today?", thoughts),
    ):
        _pick(page.get_by_role("group", name=legend, exact=True), value)
    _pick(page.get_by_role("group", name="Did you act on an urge to self-harm today?"), "No")


def _pick(group, answer: str) -> None:
    """Taps an answer: the radio buttons are drawn as their labels, which is what a person
    touches (the inputs themselves are hidden under them)."""
    group.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(answer)}\s*$")).click()
    expect(group.get_by_label(answer, exact=True)).to_be_checked()
