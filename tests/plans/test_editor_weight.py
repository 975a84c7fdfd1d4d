"""The plan editor stays inside the page budget with a full plan: its form repeats for every
item, so a few hundred bytes more per item would push a long plan over."""

from app.config import ROOT
from app.domain.plans.commands import ItemInput
from app.models import Section
from tests.plans.helpers import save

PAGE_BUDGET = 100 * 1024  # HTML + CSS, as tests/browser/harness.py counts a page
ITEMS_PER_SECTION = 4


def test_a_plan_of_four_dozen_items_edits_inside_the_page_budget(client, team, login_as):
    items = [
        ItemInput(
            section,
            f"An item of a usual length for {section.value}, number {index} of the section",
            index,
            phone="+1 312 555 0100" if section == Section.HELP_PEOPLE else None,
            for_teen=True,
            for_family=index % 2 == 0,
        )
        for section in Section
        for index in range(1, ITEMS_PER_SECTION + 1)
    ]
    save(team, items)
    login_as("therapist")
    page = client.get(f"/therapist/teams/{team.id}/plan/edit")
    assert page.status_code == 200
    assert page.text.count('class="plan-item-edit"') == len(items) + len(Section)  # + blanks
    css = (ROOT / "app" / "static" / "harbor.css").stat().st_size
    assert len(page.data) + css <= PAGE_BUDGET, f"{len(page.data) + css} bytes"
