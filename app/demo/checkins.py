"""Demo check-ins: 90 days for both demo teens, up to yesterday (today is left for trying the
form). Believable and deterministic (a seeded random): some missed days, a slow improvement
with ups and downs, and a few alerts — the latest still open, the others acknowledged with a
note. Written in bulk. Safe to run again: a team that has check-ins is left alone.

Written the way CONTENT.md asks: everyday words, no detail of self-harm, hopeful without
pretending every day is good.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from app.domain.checkins.alerts import Thresholds
from app.domain.checkins.commands import coping_steps, today_in
from app.domain.checkins.vocabulary import EMOTIONS
from app.extensions import db
from app.models import (
    Alert,
    CareTeam,
    CheckIn,
    CheckInCoping,
    CheckInEmotion,
    Helped,
    Membership,
    Role,
    User,
)

DAYS = 90
SEED = 5150
PLEASANT = [e.code for e in EMOTIONS if e.pleasant]
HARD = [e.code for e in EMOTIONS if not e.pleasant]

# Days (counted back from today) whose answers are set by hand: they raise the demo's alerts.
# (urge, thoughts, acted)
ALERT_DAYS = {
    84: (4, 2, True),
    61: (4, 3, False),
    38: (4, 1, False),
    17: (3, 3, False),
    2: (4, 2, False),
}

# Notes for harder days, then for easier ones.
NOTES = {
    "en": (
        [
            "Argument about grades. Texted Priya and it got a bit easier.",
            "Couldn't sleep again. Put my playlist on.",
            "Math test tomorrow and I feel really stressed.",
            "Felt left out at lunch.",
            "Heavy day. Sat with Mom for a while.",
        ],
        [
            "Art club today. Worked on the fox comic.",
            "Walked Biscuit with Mom before school.",
            "Good day. Lunch with Priya and Sam.",
            "Told Dr. Chen about the week. Felt lighter after.",
            "Dad and I cooked dinner together.",
        ],
    ),
    "es": (
        [
            "Me peleé con mi hermano. Después escuché música.",
            "No dormí bien.",
            "Mañana hay examen de mate y estoy nervioso.",
            "Me sentí solo en el recreo.",
            "Día pesado, pero salí al patio y se me pasó un poco.",
        ],
        [
            "Jugué fútbol con mis primos.",
            "Buen día en la escuela.",
            "Hablé con mi mamá y me ayudó.",
            "Le escribí a Mateo y salimos en bici.",
            "Entrenamiento con el equipo. Me fue bien.",
        ],
    ),
}

ACK_NOTES = {
    "en": [
        "Called Maya the next morning. She had used cold water and texted Priya; we went over her plan at Thursday's session.",
        "Spoke with Maya and Elena by phone the same evening. Maya felt safe; we added a step for nights after arguments.",
        "Checked in with Maya at the start of our session. The urge passed after she walked Biscuit; no change to the plan.",
        "Talked with Maya the next day. Stress about exams; agreed to tell Mr. Okafor when she needs the library pass.",
    ],
    "es": [
        "Llamé a Diego a la mañana siguiente. Salió al patio y habló con su mamá; repasamos el plan en la sesión del martes.",
        "Hablé por teléfono con Diego y Lucía esa misma tarde. Diego se sentía seguro; agregamos un paso para las noches difíciles.",
        "Lo hablamos al inicio de la sesión. La urgencia pasó después de escribirle a Mateo; el plan sigue igual.",
        "Hablé con Diego al día siguiente. Mucha presión por los exámenes; acordamos avisar a la orientadora cuando necesite el pase.",
    ],
}


def load_checkin_demo(teams: list[CareTeam]) -> None:
    for index, team in enumerate(teams):
        if db.session.scalars(select(CheckIn.id).where(CheckIn.team_id == team.id)).first():
            continue
        _load(team, random.Random(SEED + index), "en" if index == 0 else "es")  # noqa: S311
    db.session.flush()


def _members(team: CareTeam) -> tuple[Membership, User, Membership | None]:
    rows = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.team_id == team.id, Membership.role.in_([Role.TEEN, Role.THERAPIST]))
        .order_by(Membership.id)
    ).all()
    teen, teen_user = next((m, u) for m, u in rows if m.role == Role.TEEN)
    therapist = next((m for m, _u in rows if m.role == Role.THERAPIST), None)
    return teen, teen_user, therapist


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _day(rng: random.Random, back: int) -> tuple[int, int, bool] | None:
    """The answers of the day `back` days ago, or None for a missed day."""
    if back in ALERT_DAYS:
        return ALERT_DAYS[back]
    progress = 1 - back / DAYS  # 0 three months ago, 1 yesterday
    if rng.random() < 0.2 - 0.08 * progress:
        return None
    # Below every alert threshold: only the hand-set days raise alerts.
    urge = _clamp(2.6 - 1.8 * progress + rng.gauss(0, 0.8), 0, Thresholds().urge_at - 1)
    thoughts = _clamp(urge - 1.6 + rng.gauss(0, 0.6), 0, Thresholds().thoughts_at - 1)
    return urge, thoughts, False


def _feelings(rng: random.Random, urge: int, progress: float) -> dict[str, int]:
    hard_share = min(0.9, 0.25 + urge * 0.15 + (1 - progress) * 0.15)
    chosen: dict[str, int] = {}
    for _ in range(rng.randint(2, 4)):
        pool = HARD if rng.random() < hard_share else PLEASANT
        chosen[rng.choice(pool)] = rng.randint(1, 3) + (1 if urge >= 3 and pool is HARD else 0)
    return chosen


def _coping(rng: random.Random, keys: list[str], progress: float) -> dict[str, Helped]:
    tried = {}
    for key in keys:
        if rng.random() < 0.25 + 0.45 * progress:
            roll = rng.random() + 0.3 * progress
            tried[key] = (
                Helped.A_LOT if roll > 0.95 else Helped.A_BIT if roll > 0.45 else Helped.NOT
            )
    return tried


def _evening(day: date, zone: ZoneInfo, rng: random.Random) -> datetime:
    local = datetime.combine(day, time(19, 0), zone) + timedelta(minutes=rng.randint(0, 180))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _load(team: CareTeam, rng: random.Random, locale: str) -> None:
    teen, teen_user, therapist = _members(team)
    zone = ZoneInfo(teen_user.timezone or "UTC")
    today = today_in(teen_user.timezone)
    keys = [step.key for step in coping_steps(team.id)]
    days, rows = [], []
    for back in range(DAYS, 0, -1):
        answers = _day(rng, back)
        if answers is None:
            continue
        day = today - timedelta(days=back)
        urge, thoughts, acted = answers
        at = _evening(day, zone, rng)
        harder, easier = NOTES[locale]
        note = None
        if back in ALERT_DAYS or rng.random() < 0.2:
            note = rng.choice(harder if urge >= 2 else easier)
        days.append((back, urge, thoughts, acted, at))
        rows.append(
            {
                "team_id": team.id,
                "teen_membership_id": teen.id,
                "local_date": day,
                "urge": urge,
                "thoughts": thoughts,
                "acted": acted,
                "note": note,
                "created_at": at,
                "updated_at": at,
            }
        )
    ids = db.session.scalars(
        insert(CheckIn).returning(CheckIn.id, sort_by_parameter_order=True), rows
    ).all()
    emotions, copings, alerts = [], [], []
    for checkin_id, (back, urge, thoughts, acted, at) in zip(ids, days, strict=True):
        progress = 1 - back / DAYS
        for code, intensity in _feelings(rng, urge, progress).items():
            emotions.append(
                {
                    "team_id": team.id,
                    "checkin_id": checkin_id,
                    "emotion": code,
                    "intensity": min(intensity, 5),
                }
            )
        for key, helped in _coping(rng, keys, progress).items():
            copings.append(
                {"team_id": team.id, "checkin_id": checkin_id, "item_key": key, "helped": helped}
            )
        reasons = Thresholds().reasons(urge, thoughts, acted)
        if reasons:
            alerts.append(
                _alert(team, checkin_id, reasons, at, back, therapist, locale, len(alerts))
            )
    for model, values in ((CheckInEmotion, emotions), (CheckInCoping, copings), (Alert, alerts)):
        if values:
            db.session.execute(insert(model), values)


def _alert(team, checkin_id, reasons, at, back, therapist, locale, number) -> dict:
    """The latest alert stays open; the others were acknowledged the next day, with a note."""
    still_open = back == min(ALERT_DAYS)
    return {
        "team_id": team.id,
        "checkin_id": checkin_id,
        "reasons": [reason.value for reason in reasons],
        "created_at": at,
        "acknowledged_at": None if still_open else at + timedelta(hours=14),
        "acknowledged_by_membership_id": None if still_open or therapist is None else therapist.id,
        "note": None if still_open else ACK_NOTES[locale][number % len(ACK_NOTES[locale])],
    }
