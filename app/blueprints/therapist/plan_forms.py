"""The plan editor: one form holding every item, so it works without JavaScript."""

from __future__ import annotations

from datetime import date, timedelta

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.blueprints.forms import IdempotentForm, plain_text, strip
from app.domain.plans.commands import MAX_ITEM_LENGTH, ItemInput
from app.domain.plans.sections import BY_SECTION, SECTIONS
from app.models import Section

BLANK_ROWS_PER_SECTION = 1
REVIEW_DEFAULT = timedelta(days=30)


def phone_problem(value: str, region: str) -> str | None:
    """Accepts full numbers and short codes (988, 116 123) valid in the practice's country."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return str(_l("This does not look like a phone number."))
    if phonenumbers.is_valid_number(number) or phonenumbers.is_valid_short_number(number):
        return None
    return str(_l("This does not look like a phone number."))


def _plain_text_multiline(form, field) -> None:
    field.data = (field.data or "").replace("\r\n", "\n")
    saved, field.data = field.data, field.data.replace("\n", " ")
    try:
        plain_text(form, field)
    finally:
        field.data = saved


class PlanItemForm(Form):
    key = HiddenField(filters=[strip])
    section = HiddenField()
    text = TextAreaField(
        _l("Text"),
        filters=[strip],
        validators=[
            Length(
                max=MAX_ITEM_LENGTH,
                message=_l("An item has at most %(max)d characters. Shorten it or split it."),
            ),
            _plain_text_multiline,
        ],
        render_kw={"rows": 2, "maxlength": MAX_ITEM_LENGTH},
    )
    phone = StringField(
        _l("Phone number (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=40, message=_l("Use at most %(max)d characters."))],
        render_kw={"autocomplete": "off", "inputmode": "tel"},
    )
    for_teen = BooleanField(_l("Teen"))
    for_family = BooleanField(_l("Family"))
    for_school = BooleanField(_l("School"))
    position = IntegerField(
        _l("Order"),
        validators=[
            Optional(),
            NumberRange(min=1, max=999, message=_l("Use a number from 1 to 999.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    remove = BooleanField(_l("Remove this item"))

    def validate_section(self, field) -> None:
        if field.data not in {s.value for s in Section}:
            raise ValidationError(_l("Unknown section."))

    @property
    def is_blank(self) -> bool:
        return not self.key.data and not self.text.data and not self.phone.data


def _review_not_past(form, field) -> None:
    if field.data and field.data < date.today():
        raise ValidationError(_l("The review date cannot be in the past."))


class PlanEditForm(IdempotentForm):
    base_number = HiddenField()
    review_due = DateField(
        _l("Review due"),
        validators=[InputRequired(message=_l("Please choose a review date.")), _review_not_past],
    )
    items = FieldList(FormField(PlanItemForm), max_entries=600)

    def __init__(self, *args, region: str = "US", **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region

    def validate_base_number(self, field) -> None:
        if not (field.data or "").isdigit():
            message = _l("The editor is out of date. Reload it and try again.")
            self.form_errors.append(message)  # a hidden field: say it at the top
            raise ValidationError(message)

    def validate_items(self, field) -> None:
        if any(entry.form.section.errors for entry in field.entries):
            # Such a row has no section to be shown in, so say it at the top.
            self.form_errors.append(_l("Unknown section. Reload the editor and try again."))
        for entry in field.entries:
            item = entry.form
            if item.remove.data or item.is_blank:
                continue
            if not item.text.data:
                item.text.errors.append(
                    _l("Write the item, or tick \u201cRemove this item\u201d to delete it.")
                )
            if (
                item.phone.data
                and BY_SECTION.get(item.section.data)
                and not BY_SECTION[Section(item.section.data)].has_phone
            ):
                item.phone.errors.append(_l("This section does not take phone numbers."))
            elif item.phone.data:
                problem = phone_problem(item.phone.data, self.region)
                if problem:
                    item.phone.errors.append(problem)
        if any(entry.form.errors for entry in field.entries):
            raise ValidationError(_l("Some items need attention."))

    def item_inputs(self) -> list[ItemInput]:
        kept = [
            entry.form
            for entry in self.items.entries
            if not entry.form.remove.data and not entry.form.is_blank
        ]
        return [
            ItemInput(
                key=item.key.data or None,
                section=Section(item.section.data),
                text=item.text.data,
                phone=item.phone.data or None,
                for_teen=item.for_teen.data,
                for_family=item.for_family.data,
                for_school=item.for_school.data,
                position=item.position.data or 500 + index,
            )
            for index, item in enumerate(kept)
        ]


def editor_data(version, items) -> dict:
    """The form's starting data: every item of the version, then a blank row per section."""
    rows = []
    by_section = {info.section: [] for info in SECTIONS}
    for item in items:
        by_section[item.section].append(item)
    for info in SECTIONS:
        for index, item in enumerate(by_section[info.section], start=1):
            rows.append(
                {
                    "key": item.key,
                    "section": info.section.value,
                    "text": item.text,
                    "phone": item.phone or "",
                    "for_teen": item.for_teen,
                    "for_family": item.for_family,
                    "for_school": item.for_school,
                    "position": index,
                }
            )
        rows.extend(blank_row(info) for _ in range(BLANK_ROWS_PER_SECTION))
    return {
        "base_number": str(version.number if version else 0),
        "review_due": date.today() + REVIEW_DEFAULT,
        "items": rows,
    }


def blank_row(info) -> dict:
    return {
        "key": "",
        "section": info.section.value,
        "text": "",
        "phone": "",
        "for_teen": info.teen,
        "for_family": info.family,
        "for_school": info.school,
        "position": None,
    }
