"""The message forms. The services check the text (length, emptiness); these carry it."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import AnyOf

from app.blueprints.forms import IdempotentForm
from app.models import Role, ThreadKind
from app.models.messaging import MAX_BODY, MAX_HIDDEN_REASON

THREAD_TITLES = {
    ThreadKind.CARE_TEAM: _l("Care team"),
    ThreadKind.FAMILY: _l("Family"),
    ThreadKind.TEEN_THERAPIST: _l("Teen and therapist"),
    ThreadKind.SCHOOL: _l("School"),
}
# How the readers of a thread are named in "Who reads this thread".
READER_LABELS = {
    Role.THERAPIST: _l("therapists"),
    Role.GUARDIAN: _l("parents"),
    Role.SCHOOL: _l("the school counselor"),
}


class MessageForm(IdempotentForm):
    body = TextAreaField(
        _l("Your message"),
        description=_l("Plain text, up to 5,000 characters. Web addresses become links."),
        render_kw={"rows": 5, "maxlength": MAX_BODY},
    )


class HideForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you hiding it?"),
        description=_l(
            "Everyone but the therapists will see “Hidden by the therapist” instead of the text. "
            "Your reason is kept with the message for the therapists."
        ),
        render_kw={"rows": 3, "maxlength": MAX_HIDDEN_REASON},
    )


class SchoolChoiceForm(FlaskForm):
    include = HiddenField(validators=[AnyOf(["0", "1"])])
