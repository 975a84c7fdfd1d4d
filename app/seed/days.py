"""A seeded team's year, day by day: the teen's check-ins with their emotions and coping steps,
a few alerts, and the audit of who looked at the teen's records.

Every one of the 365 days before today has a check-in and today has none, so a benchmark can
submit today's. The days are worked out once per run and shared by every team; this is the
seed's hot loop, so it appends tuples and counts ids itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.checkins.alerts import Thresholds
from app.domain.checkins.vocabulary import EMOTIONS
from app.models import Helped, ThreadKind
from app.seed.rows import TIMEZONE, VERSION_AGES, Chunk, Team
from app.seed.text import ACK_NOTE, CHECKIN_NOTES

DAYS = 365
PLEASANT = tuple(e.code for e in EMOTIONS if e.pleasant)
HARD = tuple(e.code for e in EMOTIONS if not e.pleasant)
MINUTES = tuple(timedelta(minutes=m) for m in range(180))
# Every alert but the latest was acknowledged the next morning.
ACK_AFTER = timedelta(hours=14)
THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Day:
    back: int  # days before today
    local_date: date
    evening: datetime  # 7 pm in the teens' time zone, as naive UTC
    detail: dict  # the audit detail of that day's check-in
    version: int  # the plan version current that day


def year_before(today: date) -> tuple[Day, ...]:
    zone, utc = ZoneInfo(TIMEZONE), ZoneInfo("UTC")
    days = []
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        evening = datetime.combine(day, time(19), zone).astimezone(utc).replace(tzinfo=None)
        version = 1 + sum(back <= age for age in VERSION_AGES[1:])
        days.append(Day(back, day, evening, {"day": day.isoformat()}, version))
    return tuple(days)


FAMILY_THREAD = {"kind": "family", "page": "latest"}
SCHOOL_THREAD = {"kind": "school", "page": "latest"}
CHECKIN_SUMMARY = {"page": "summary"}
PLAN_VIEWS = {
    (page, number): {"page": page, "number": number}
    for page in ("current", "help_now")
    for number in range(1, len(VERSION_AGES) + 1)
}


def _views(team: Team, threads: dict[ThreadKind, int]) -> dict[int, tuple]:
    """By plan version, the record views an ordinary day may bring: (member, action, target
    type, target id, detail, from how many days back)."""
    family, school = threads[ThreadKind.FAMILY], threads[ThreadKind.SCHOOL]
    consented = VERSION_AGES[1]  # the counselor reads from the day the consents were signed
    views = {}
    for number, version in enumerate(team.versions, start=1):
        current, help_now = PLAN_VIEWS["current", number], PLAN_VIEWS["help_now", number]
        views[number] = (
            (team.guardian, "plan.view", "plan_version", version, current, DAYS),
            (team.teen, "plan.view", "plan_version", version, help_now, DAYS),
            (team.guardian, "thread.view", "thread", family, FAMILY_THREAD, DAYS),
            (team.teen, "thread.view", "thread", family, FAMILY_THREAD, DAYS),
            (team.counselor, "plan.view", "plan_version", version, current, consented),
            (team.counselor, "thread.view", "thread", school, SCHOOL_THREAD, consented),
            (team.guardian, "checkin.view", None, None, CHECKIN_SUMMARY, consented),
        )
    return views


def _answers(rng, back: int, alert_days: list[int]) -> tuple[int, int, bool]:
    if back in alert_days:
        # The oldest alert is the one where the teen acted on an urge.
        return 4, 1 + rng.randrange(3), back == alert_days[0]
    progress = 1 - back / DAYS
    urge = round(2.4 - 1.8 * progress + (rng.random() + rng.random() - 1) * 1.6)
    urge = max(0, min(THRESHOLDS.urge_at - 1, urge))
    thoughts = round(urge - 1.4 + (rng.random() - 0.5) * 1.5)
    return urge, max(0, min(THRESHOLDS.thoughts_at - 1, thoughts)), False


def add_year(chunk: Chunk, team: Team, threads, days: tuple[Day, ...], rng) -> None:
    rows, ids = chunk.rows, chunk.next_ids
    checkins, emotions, copings = rows["checkin"], rows["checkin_emotion"], rows["checkin_coping"]
    events = rows["access_event"]
    checkin_id, emotion_id, coping_id = (
        ids["checkin"],
        ids["checkin_emotion"],
        ids["checkin_coping"],
    )
    event_id = ids["access_event"]
    team_id, teen = team.id, team.teen
    views = _views(team, threads)
    # Four alerts over the year, the latest (a recent one) still open.
    alert_days = sorted(rng.sample(range(40, DAYS), 3), reverse=True) + [rng.randint(1, 14)]
    for day in days:
        back = day.back
        progress = 1 - back / DAYS
        urge, thoughts, acted = _answers(rng, back, alert_days)
        at = day.evening + MINUTES[rng.randrange(180)]
        note = CHECKIN_NOTES[rng.randrange(len(CHECKIN_NOTES))] if rng.random() < 0.15 else None
        checkins.append(
            (checkin_id, team_id, teen.id, day.local_date, urge, thoughts, acted, note, at, at)
        )
        hard_share = min(0.9, 0.25 + urge * 0.15 + (1 - progress) * 0.15)
        felt = set()
        for _ in range(1 + (rng.random() < 0.6) + (rng.random() < 0.3)):
            pool = HARD if rng.random() < hard_share else PLEASANT
            code = pool[rng.randrange(len(pool))]
            if code not in felt:
                felt.add(code)
                intensity = 1 + rng.randrange(3) + (urge >= 3 and pool is HARD)
                emotions.append((emotion_id, team_id, checkin_id, code, intensity))
                emotion_id += 1
        for key in team.coping_keys:
            if rng.random() < 0.25 + 0.45 * progress:
                roll = rng.random() + 0.3 * progress
                helped = (
                    Helped.A_LOT if roll > 0.95 else Helped.A_BIT if roll > 0.45 else Helped.NOT
                )
                copings.append((coping_id, team_id, checkin_id, key, helped.value))
                coping_id += 1
        reasons = THRESHOLDS.reasons(urge, thoughts, acted)
        if reasons:
            _alert(chunk, team, checkin_id, [r.value for r in reasons], at, back == alert_days[-1])
        events.append(
            (event_id, at, teen.user_id, teen.id, team_id, "checkin.save", "checkin", checkin_id,
             day.detail)
        )  # fmt: skip
        event_id += 1
        if rng.random() < 0.5:
            member, action, target_type, target, detail, since = rng.choice(views[day.version])
            if back <= since:
                seen = day.evening - MINUTES[rng.randrange(180)] * 3
                events.append(
                    (event_id, seen, member.user_id, member.id, team_id, action, target_type,
                     target, detail)
                )  # fmt: skip
                event_id += 1
        checkin_id += 1
    ids.update(
        checkin=checkin_id,
        checkin_emotion=emotion_id,
        checkin_coping=coping_id,
        access_event=event_id,
    )


def _alert(chunk: Chunk, team: Team, checkin_id: int, reasons, at, still_open: bool) -> None:
    acknowledged = None if still_open else at + ACK_AFTER
    chunk.add(
        "checkin_alert",
        (
            team.id,
            checkin_id,
            reasons,
            at,
            acknowledged,
            None if still_open else team.therapist.id,
            None if still_open else ACK_NOTE,
        ),
    )
