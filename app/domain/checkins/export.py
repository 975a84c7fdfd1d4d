"""A teen's check-ins as CSV for the therapist. The download is in the audit; no cell can run
as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from app.domain.audit import commands as audit
from app.domain.checkins.queries import coping_names, with_detail
from app.domain.checkins.vocabulary import emotion_label, helped_label
from app.extensions import db
from app.models import CheckIn, Membership, User
from app.policy import Permission, authorize
from app.policy import checkins as policy

# A cell starting with one of these could be read as a formula by a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@dataclass(frozen=True)
class Export:
    filename: str
    content: str
    count: int


def export_csv(actor: Membership, user: User) -> Export:
    authorize(actor, Permission.CHECKIN_EXPORT)
    rows = list(
        db.session.scalars(with_detail(policy.checkins(actor)).order_by(CheckIn.local_date))
    )
    names = coping_names(actor.team_id, actor.role)
    out = io.StringIO()
    out.write("\ufeff")  # lets spreadsheets read the file as UTF-8
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            _("Date"),
            _("Urge (0–5)"),
            _("Thoughts of suicide (0–5)"),
            _("Acted on an urge"),
            _("Feelings (1–5)"),
            _("Coping steps tried"),
            _("Note"),
        ]
    )
    for row in rows:
        feelings = "; ".join(f"{emotion_label(e.emotion)} {e.intensity}" for e in row.emotions)
        coping = "; ".join(
            f"{names.get(c.item_key, c.item_key)} ({helped_label(c.helped)})" for c in row.copings
        )
        writer.writerow(
            [
                safe_cell(cell)
                for cell in (
                    row.local_date.isoformat(),
                    row.urge,
                    row.thoughts,
                    _("Yes") if row.acted else _("No"),
                    feelings,
                    coping,
                    row.note or "",
                )
            ]
        )
    audit.record("checkin.export", user=user, membership=actor, count=len(rows))
    return Export(
        filename=f"checkins-team-{actor.team_id}.csv", content=out.getvalue(), count=len(rows)
    )
