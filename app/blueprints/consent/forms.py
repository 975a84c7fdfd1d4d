from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.blueprints.forms import IdempotentForm, plain_text, strip
from app.domain.consent.commands import SCOPE_LABELS
from app.models import Scope


class SignatureFields(IdempotentForm):
    typed_name = StringField(
        _l("Type your full name to sign"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Please type your name to sign.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "off"},
    )
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(message=_l("Please enter your password to confirm."))],
        render_kw={"autocomplete": "current-password"},
        description=_l("We ask again so that only you can sign."),
    )


class StartConsentForm(SignatureFields):
    scope = SelectField(
        _l("What may be seen"),
        choices=[SelectChoice(scope.value, label) for scope, label in SCOPE_LABELS.items()],
        validators=[InputRequired(message=_l("Please choose what may be seen."))],
    )
    recipient = SelectField(
        _l("Who may see it (for the school choices)"),
        coerce=int,
        validators=[Optional()],
        validate_choice=False,
    )
    starts_on = DateField(
        _l("From"), validators=[InputRequired(message=_l("Please choose a start date."))]
    )
    ends_on = DateField(
        _l("Until"),
        validators=[InputRequired(message=_l("Please choose an end date."))],
        description=_l("One year at most. You can withdraw it sooner at any time."),
    )
    purpose = TextAreaField(
        _l("Purpose"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Please say what it is for.")),
            Length(max=500, message=_l("Use at most %(max)d characters.")),
            plain_text,
        ],
        description=_l("For example: so the counselor can follow the school plan this term."),
        render_kw={"rows": 3},
    )

    def __init__(self, counselors, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.recipient.choices = [SelectChoice("0", _l("Not needed (check-in summary)"))] + [
            SelectChoice(str(m.id), m.user.name) for m in counselors
        ]

    @property
    def chosen_scope(self) -> Scope:
        return Scope(self.scope.data)


def default_period() -> dict:
    today = date.today()
    return {"starts_on": today, "ends_on": today + timedelta(days=180)}


class SignConsentForm(SignatureFields):
    pass
