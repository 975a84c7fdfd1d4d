"""The form that closes an account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, ValidationError

from app.blueprints.forms import strip

# Shown and checked in the reader's language; the English word is accepted everywhere, for
# someone following instructions written in English.
CONFIRM_WORD = _l("DELETE")
TYPE_IT = _l("Type %(word)s to confirm, or go back to keep your account.", word=CONFIRM_WORD)


def _is_confirm_word(form, field) -> None:
    if (field.data or "").casefold() not in {str(CONFIRM_WORD).casefold(), "delete"}:
        raise ValidationError(TYPE_IT)


class DeleteAccountForm(FlaskForm):
    confirm = StringField(
        _l("Type %(word)s to confirm", word=CONFIRM_WORD),
        filters=[strip],
        validators=[InputRequired(message=TYPE_IT), _is_confirm_word],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )
