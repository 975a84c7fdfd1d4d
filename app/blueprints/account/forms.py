from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.blueprints.auth.forms import NewPasswordForm
from app.blueprints.forms import name_field
from app.platform.i18n import COMMON_TIMEZONES

LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("es", "Español")]


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Language"),
        choices=LANGUAGE_CHOICES,
        validators=[InputRequired(message=_l("Please choose a language."))],
    )


class SettingsForm(FlaskForm):
    name = name_field()
    language = LanguageForm.language
    timezone = SelectField(
        _l("Time zone"),
        choices=[SelectChoice(zone, zone.replace("_", " ")) for zone in COMMON_TIMEZONES],
        validators=[InputRequired(message=_l("Please choose a time zone."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Please enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
