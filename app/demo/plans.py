"""Demo care plans: a complete plan with several versions for each demo team."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.db import utcnow
from app.domain.plans import commands as plans
from app.domain.plans.commands import ItemInput
from app.extensions import db
from app.models import CareTeam, Membership, PlanVersion, Role, Section, User

S = Section
T, F, K = "teen", "family", "school"

MAYA = [
    (S.WARNING_SIGNS, "Staying in my room and not answering messages", (T, F), None),
    (S.WARNING_SIGNS, "Thinking that everything is my fault", (T,), None),
    (S.WARNING_SIGNS, "Arguments about grades late at night", (T, F), None),
    (S.COPING_ALONE, "Splash cold water on my face or hold something cold", (T,), None),
    (S.COPING_ALONE, "Listen to my calm playlist with headphones", (T,), None),
    (S.COPING_ALONE, "Draw in my sketchbook for ten minutes", (T,), None),
    (S.DISTRACTIONS, "Text or call Priya", (T,), "+1 312 555 0123"),
    (S.DISTRACTIONS, "The public library on Oak Street", (T,), None),
    (S.DISTRACTIONS, "Walk Biscuit with Dad", (T, F), None),
    (S.HELP_PEOPLE, "Mom (Elena)", (T, F), "+1 312 555 0141"),
    (S.HELP_PEOPLE, "Aunt Rosa", (T, F), "+1 312 555 0199"),
    (S.PROFESSIONALS, "Dr. Sarah Chen, Harbor Lane Counseling", (T, F, K), "+1 312 555 0100"),
    (S.PROFESSIONALS, "988 Suicide & Crisis Lifeline (call or text)", (T, F, K), "988"),
    (S.SAFER_SURROUNDINGS, "Medicines stay in the locked box; Mom keeps the key", (T, F), None),
    (S.SAFER_SURROUNDINGS, "Things we agreed could hurt me are kept out of my room", (T, F), None),
    (S.REASONS, "My little brother Leo", (T,), None),
    (S.REASONS, "Finishing my comic about the fox detective", (T,), None),
    (S.REASONS, "Summer art camp with Priya", (T,), None),
    (
        S.COPING_STEPS,
        "When I feel heavy and alone in my room, I will text Priya or sit with Mom",
        (T, F),
        None,
    ),
    (
        S.COPING_STEPS,
        "When an urge comes, I will use cold water and wait 15 minutes before deciding anything",
        (T,),
        None,
    ),
    (
        S.COPING_STEPS,
        "When I can't sleep after midnight, I will leave my phone outside my room and put on my playlist",
        (T, F),
        None,
    ),
    (S.GOALS, "Sleep at least eight hours on school nights", (T, F), None),
    (S.GOALS, "Tell someone when urges are strong instead of hiding them", (T, F), None),
    (S.GOALS, "Go back to art club", (T,), None),
    (S.FAMILY_HELP, "Stay calm and ask: what do you need right now?", (T, F), None),
    (
        S.FAMILY_HELP,
        "Don't take Maya's phone away as a punishment; it is how she reaches Priya",
        (T, F),
        None,
    ),
    (S.FAMILY_HELP, "One check-in in the evening, not every hour", (T, F), None),
    (
        S.SCHOOL_PLAN,
        "Maya may leave class with her pass to see the counselor, without explaining why",
        (T, F, K),
        None,
    ),
    (S.SCHOOL_PLAN, "Extra time on assignments in exam weeks", (T, F, K), None),
    (
        S.SCHOOL_PLAN,
        "If Maya seems very upset, the counselor calls Mom, then Dr. Chen",
        (T, F, K),
        "+1 312 555 0141",
    ),
    (
        S.SCHOOL_PLAN,
        "First month back: a ten-minute check-in with Mr. Okafor each Monday",
        (T, F, K),
        None,
    ),
    (
        S.CLINICAL_NOTES,
        "Episodes less frequent since week 4. Review skills use at next session; screen sleep.",
        (),
        None,
    ),
]

DIEGO = [
    (S.WARNING_SIGNS, "Dejar de comer con la familia y encerrarme", (T, F), None),
    (S.WARNING_SIGNS, "Pensar que soy una carga para todos", (T,), None),
    (S.WARNING_SIGNS, "Los domingos en la noche, antes de la escuela", (T, F), None),
    (S.COPING_ALONE, "Respirar contando hasta cuatro, diez veces", (T,), None),
    (S.COPING_ALONE, "Salir a tirar a la canasta en el patio", (T,), None),
    (S.COPING_ALONE, "Escribir lo que siento en mi libreta", (T,), None),
    (S.DISTRACTIONS, "Jugar en línea con mi primo Mateo", (T,), "+52 55 1234 5678"),
    (S.DISTRACTIONS, "La cancha del parque con mis amigos", (T,), None),
    (S.HELP_PEOPLE, "Mamá (Lucía)", (T, F), "+52 55 2345 6789"),
    (S.HELP_PEOPLE, "Tío Ernesto", (T, F), "+52 55 3456 7890"),
    (S.PROFESSIONALS, "Dra. Ana Morales, Centro Aurora", (T, F, K), "+52 55 4567 8901"),
    (S.PROFESSIONALS, "Línea de la Vida", (T, F, K), "800 911 2000"),
    (S.SAFER_SURROUNDINGS, "Los medicamentos se guardan bajo llave", (T, F), None),
    (
        S.SAFER_SURROUNDINGS,
        "Las cosas que acordamos que podían lastimarme no están en mi cuarto",
        (T, F),
        None,
    ),
    (S.REASONS, "Mi hermana Sofía", (T,), None),
    (S.REASONS, "El torneo de básquet de primavera", (T,), None),
    (
        S.COPING_STEPS,
        "Cuando me sienta una carga, le escribiré a Mateo o hablaré con mamá",
        (T, F),
        None,
    ),
    (
        S.COPING_STEPS,
        "Cuando venga la urgencia, saldré al patio y esperaré quince minutos",
        (T,),
        None,
    ),
    (S.GOALS, "Volver a entrenar con el equipo", (T, F), None),
    (S.GOALS, "Decir en voz alta cuando algo me pesa", (T, F), None),
    (S.FAMILY_HELP, "Escuchar sin regañar y preguntar: ¿qué necesitas ahora?", (T, F), None),
    (S.FAMILY_HELP, "No castigar quitándole el básquet", (T, F), None),
    (
        S.SCHOOL_PLAN,
        "Diego puede ir con la orientadora cuando lo necesite, sin dar explicaciones",
        (T, F, K),
        None,
    ),
    (
        S.SCHOOL_PLAN,
        "Si se ve muy alterado, la orientadora llama a su mamá y a la Dra. Morales",
        (T, F, K),
        "+52 55 2345 6789",
    ),
    (
        S.CLINICAL_NOTES,
        "Ideación pasiva en semana 2, sin plan. Revisar sueño y uso de habilidades.",
        (),
        None,
    ),
]


def _inputs(rows, *, without=()) -> list[ItemInput]:
    counters: dict[Section, int] = {}
    items = []
    for section, text, audiences, phone in rows:
        if text in without:
            continue
        counters[section] = counters.get(section, 0) + 1
        items.append(
            ItemInput(
                section=section,
                text=text,
                position=counters[section],
                phone=phone,
                for_teen=T in audiences,
                for_family=F in audiences,
                for_school=K in audiences,
            )
        )
    return items


def _with_keys(version: PlanVersion, items: list[ItemInput]) -> list[ItemInput]:
    """Carries item identity forward, as the editor does, so the history has real diffs."""
    keys = {i.text: i.key for i in plans.items_for(version, Role.THERAPIST)}
    return [ItemInput(**{**item.__dict__, "key": keys.get(item.text)}) for item in items]


def _load(team: CareTeam, rows) -> None:
    if plans.plan_of(team.id) is not None:
        return
    therapist = db.session.scalars(
        select(Membership).where(Membership.team_id == team.id, Membership.role == Role.THERAPIST)
    ).first()
    author = db.session.get_one(User, therapist.user_id)
    school_rows = {text for section, text, _, _ in rows if section == Section.SCHOOL_PLAN}
    late_rows = {rows[-8][1], rows[-9][1]}  # two later additions, so the last version has a diff
    drafts = [
        _inputs(rows, without=school_rows | late_rows),
        _inputs(rows, without=late_rows),
        _inputs(rows),
    ]
    saved = None
    for number, items in enumerate(drafts):
        saved = plans.save_version(
            therapist,
            author,
            base_number=number,
            items=_with_keys(saved, items) if saved else items,
            review_due=date.today() + timedelta(days=30 - 12 * (len(drafts) - 1 - number)),
        )
        saved.created_at = utcnow() - timedelta(days=21 * (len(drafts) - 1 - number))
    members = db.session.scalars(select(Membership).where(Membership.team_id == team.id)).all()
    users = {m.id: db.session.get_one(User, m.user_id) for m in members}
    versions = {v.number: v for v in plans.history(team.id)}
    for member in members:
        # The teen agreed to version 2 and one guardian has read the latest: the others
        # have something new to read, as in real life.
        if member.role == Role.TEEN:
            plans.acknowledge(member, users[member.id], versions[2])
        elif member.role == Role.GUARDIAN:
            plans.acknowledge(member, users[member.id], versions[2])
            if member.relation_label in ("Mother", "Madre"):
                plans.acknowledge(member, users[member.id], versions[3])


def load_plan_demo(teams: list[CareTeam]) -> None:
    for team, rows in zip(teams, (MAYA, DIEGO), strict=False):
        _load(team, rows)
