"""Form pieces shared by several blueprints."""

from __future__ import annotations

import secrets
import unicodedata

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from app.domain.errors import ServiceError
from app.web import unit_of_work


def plain_text(form, field) -> None:
    """Refuses control and invisible formatting characters that make names unreadable."""
    for char in field.data or "":
        if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} and char not in "\t":
            raise ValidationError(_l("Please remove the unusual characters from this field."))


def strip(value):
    return value.strip() if isinstance(value, str) else value


def email_field(label=None) -> EmailField:
    return EmailField(
        label or _l("Email"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Please enter your email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(message=_l("Please enter a valid email address."), check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("New password"),
        validators=[InputRequired(message=_l("Please choose a password."))],
        render_kw={"autocomplete": "new-password"},
        description=_l("At least 10 characters. A few unrelated words work well."),
    )


def name_field(label=None) -> StringField:
    return StringField(
        label or _l("Your name"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Please enter a name.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
            plain_text,
        ],
        render_kw={"autocomplete": "name"},
    )


class ActionForm(FlaskForm):
    """No fields: carries the CSRF token for buttons that POST."""


def new_form_key() -> str:
    return secrets.token_urlsafe(24)


class IdempotentForm(FlaskForm):
    """A form that creates a record. Its one-time key, rendered as a hidden field, lets a
    repeat of the same submission lead to the first one's result instead of making a second
    record (app.web.form_keys claims it before the view runs)."""

    idempotency_key = HiddenField(default=new_form_key)


def show_service_error(form: FlaskForm, error: ServiceError) -> None:
    """Puts a service's refusal next to its field, or at the top of the form. What the
    request did is rolled back when the view returns (app.web.unit_of_work)."""
    unit_of_work.discard()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def flash_service_error(error: ServiceError) -> None:
    """Shows a service's refusal on the next page, for a view that redirects. What the
    request did is rolled back when the view returns (app.web.unit_of_work)."""
    unit_of_work.discard()
    flash(error.message, "error")
