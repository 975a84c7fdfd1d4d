"""The daily check-in form. It carries the answers; app.domain.checkins.commands checks them again,
along with the feelings and coping steps, whose fields depend on the vocabulary and the plan."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from app.blueprints.forms import IdempotentForm
from app.domain.checkins.commands import Entry
from app.domain.checkins.vocabulary import SCALE
from app.models import CheckIn
from app.models.checkins import MAX_NOTE

FEELING_PREFIX = "feeling-"
STEP_PREFIX = "step-"
SCALE_CHOICES = [SelectChoice(str(n), str(n)) for n in SCALE]
ACTED_CHOICES = [SelectChoice("no", _l("No")), SelectChoice("yes", _l("Yes"))]


def answer_in(choices, message):
    allowed = {choice.value for choice in choices}

    def check(_form, field) -> None:
        if field.data not in allowed:
            raise StopValidation(message)

    return check


def scale_field(label) -> RadioField:
    return RadioField(
        label,
        choices=SCALE_CHOICES,
        validate_choice=False,
        validators=[answer_in(SCALE_CHOICES, _l("Choose a number from 0 to 5."))],
    )


class CheckInForm(IdempotentForm):
    day = HiddenField()
    urge = scale_field(_l("How strong was the urge to self-harm today?"))
    thoughts = scale_field(_l("How strong were thoughts of suicide today?"))
    acted = RadioField(
        _l("Did you act on an urge to self-harm today?"),
        choices=ACTED_CHOICES,
        validate_choice=False,
        validators=[answer_in(ACTED_CHOICES, _l("Choose yes or no."))],
    )
    note = TextAreaField(
        _l("Anything else about today? (optional)"),
        description=_l("Up to 1,000 characters. Your therapist can read this."),
        render_kw={"rows": 3, "maxlength": MAX_NOTE},
    )
    # Not rendered: they hold the messages about the feelings and the coping steps.
    emotions = HiddenField()
    coping = HiddenField()

    feelings: dict[str, str]
    steps: dict[str, str]

    @classmethod
    def for_today(cls, existing: CheckIn | None, formdata: MultiDict | None) -> CheckInForm:
        """Today's answers so far (or a blank card), or what was just posted."""
        if formdata is not None:
            form = cls()
            form.feelings = _prefixed(formdata, FEELING_PREFIX)
            form.steps = _prefixed(formdata, STEP_PREFIX)
            return form
        if existing is None:
            form = cls(formdata=None)
            form.feelings, form.steps = {}, {}
            return form
        form = cls(
            formdata=None,
            data={
                "urge": str(existing.urge),
                "thoughts": str(existing.thoughts),
                "acted": "yes" if existing.acted else "no",
                "note": existing.note or "",
            },
        )
        form.feelings = {e.emotion: str(e.intensity) for e in existing.emotions}
        form.steps = {c.item_key: c.helped.value for c in existing.copings}
        return form

    def entry(self) -> Entry:
        return Entry(
            day=self.day.data,
            urge=int(self.urge.data),
            thoughts=int(self.thoughts.data),
            acted=self.acted.data == "yes",
            note=self.note.data,
            emotions=self.feelings,
            coping=self.steps,
        )


def _prefixed(formdata: MultiDict, prefix: str) -> dict[str, str]:
    return {key[len(prefix) :]: value for key, value in formdata.items() if key.startswith(prefix)}
