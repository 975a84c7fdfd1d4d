"""The code field shared by sign-in, re-authentication and enrolment."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, Optional

from app.blueprints.forms import strip

EITHER_CODE_HINT = _l("The 6-digit code from your authenticator app, or a recovery code.")


def code_field(label=None, *, required: bool = True, description=None, **render_kw) -> StringField:
    return StringField(
        label or _l("Two-factor code"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Please enter the code."))
            if required
            else Optional(strip_whitespace=True),
            Length(max=20, message=_l("That code is too long.")),
        ],
        description=description,
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", **render_kw},
    )


class TwoFactorSignInForm(FlaskForm):
    code = code_field(description=EITHER_CODE_HINT)
