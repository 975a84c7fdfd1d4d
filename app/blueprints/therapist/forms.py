from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.blueprints.forms import IdempotentForm, email_field, name_field, plain_text, strip
from app.domain.labels import ROLE_LABELS


def plausible_teen_birth_date(form, field) -> None:
    if field.data is None:
        return
    today = date.today()
    born = field.data
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if field.data > today:
        raise ValidationError(_l("The date of birth cannot be in the future."))
    if not 8 <= age <= 25:
        raise ValidationError(_l("Harbor is for young people aged 8 to 25. Please check the date."))


class NewTeamForm(IdempotentForm):
    practice = SelectField(_l("Practice"), coerce=int, validate_choice=True)
    teen_name = name_field(_l("Teen's name"))
    teen_birth_date = DateField(
        _l("Teen's date of birth"),
        validators=[
            InputRequired(message=_l("Please enter the date of birth.")),
            plausible_teen_birth_date,
        ],
        render_kw={"autocomplete": "off"},
    )
    school_name = StringField(
        _l("School (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
            plain_text,
        ],
    )

    def __init__(self, practices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice.choices = [
            SelectChoice(str(p.organization_id), p.organization.name) for p in practices
        ]


class InviteForm(IdempotentForm):
    email = email_field(_l("Their email"))
    role = SelectField(
        _l("Joins as"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[InputRequired(message=_l("Please choose a role."))],
    )
    relation_label = StringField(
        _l("Relationship to the teen (optional)"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=80, message=_l("Use at most %(max)d characters.")),
            plain_text,
        ],
        description=_l("For example: mother, grandfather, grade 9 counselor."),
    )
