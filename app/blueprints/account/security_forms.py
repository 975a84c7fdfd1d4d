"""Forms for confirming identity and for turning two-factor sign-in on."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import InputRequired

from app.blueprints.auth.two_factor_forms import EITHER_CODE_HINT, code_field


class ConfirmForm(FlaskForm):
    next = HiddenField()
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(message=_l("Please enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    code = code_field(required=False, description=EITHER_CODE_HINT)


class EnableTwoFactorForm(FlaskForm):
    code = code_field(
        _l("6-digit code from the app"),
        description=_l("Codes change every 30 seconds. Enter the one the app shows now."),
        inputmode="numeric",
    )
