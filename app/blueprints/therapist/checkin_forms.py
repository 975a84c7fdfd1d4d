"""Forms of the therapist's check-in pages: acknowledging an alert, the team's thresholds."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.blueprints.forms import IdempotentForm
from app.models.checkins import MAX_NOTE

LEVELS = [SelectChoice(str(n), str(n)) for n in range(1, 6)]


class AcknowledgeForm(IdempotentForm):
    note = TextAreaField(
        _l("What you did or plan to do"),
        description=_l("Up to 1,000 characters. Only the team's therapists read this note."),
        render_kw={"rows": 3, "maxlength": MAX_NOTE},
    )


class ThresholdsForm(FlaskForm):
    urge_at = SelectField(
        _l("Alert when the urge to self-harm is at least"),
        choices=LEVELS,
        coerce=int,
        validators=[InputRequired(message=_l("Choose a number from 1 to 5."))],
    )
    thoughts_at = SelectField(
        _l("Alert when thoughts of suicide are at least"),
        choices=LEVELS,
        coerce=int,
        validators=[InputRequired(message=_l("Choose a number from 1 to 5."))],
    )
