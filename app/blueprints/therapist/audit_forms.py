from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice

from app.domain.audit.queries import KINDS


def known_kind(form, field) -> None:
    if field.data and field.data not in KINDS:
        raise ValidationError(_l("Please choose one of the kinds in the list."))


class LogFilterForm(Form):
    """Read from the query string: a filter changes nothing, so it carries no CSRF token."""

    kind = SelectField(
        _l("Show"),
        choices=[
            SelectChoice("", _l("Everything")),
            *(SelectChoice(key, label) for key, (label, _actions) in KINDS.items()),
        ],
        validate_choice=False,
        validators=[known_kind],
        default="",
    )
