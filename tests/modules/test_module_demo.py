"""The demo has lessons assigned and part-read in both teams, and loading it again adds nothing."""

from sqlalchemy import select

from app.demo.load import DEMO_PASSWORD
from app.extensions import db
from app.models import CareTeam, ModuleAssignment, ModuleProgress, OutboxMessage
from tests.conftest import log_in
from tests.modules.helpers import count


def test_the_demo_assigns_lessons_in_both_teams_and_runs_twice_safely(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    assignments, readings = count(ModuleAssignment), count(ModuleProgress)
    teams = db.session.scalars(select(CareTeam.id)).all()
    assert len(teams) == 2
    for team_id in teams:
        assert count(ModuleAssignment, ModuleAssignment.team_id == team_id) >= 5
        assert count(ModuleProgress, ModuleProgress.team_id == team_id) >= 3
        finished = count(
            ModuleProgress,
            ModuleProgress.team_id == team_id,
            ModuleProgress.completed_at.is_not(None),
        )
        assert 1 <= finished < count(ModuleProgress, ModuleProgress.team_id == team_id)

    assert runner.invoke(args=["demo"]).exit_code == 0
    assert (count(ModuleAssignment), count(ModuleProgress)) == (assignments, readings)
    assert count(OutboxMessage, OutboxMessage.template == "module_assigned") == 0


def test_demo_people_see_their_lessons(runner, client):
    runner.invoke(args=["demo"])
    log_in(client, "parent@demo.example", DEMO_PASSWORD)
    page = client.get("/modules/").text
    assert "From your care team" in page
    assert "Finished on" in page
    log_in(client, "teen2@demo.example", DEMO_PASSWORD)
    page = client.get("/modules/").text
    assert '<html lang="es">' in page
    assert "Ponle nombre a lo que sientes" in page
    log_in(client, "therapist@demo.example", DEMO_PASSWORD)
    team_id = db.session.scalars(select(CareTeam.id).order_by(CareTeam.id)).first()
    overview = client.get(f"/therapist/teams/{team_id}/modules")
    assert overview.status_code == 200
    assert "Elena Alvarez" in overview.text
