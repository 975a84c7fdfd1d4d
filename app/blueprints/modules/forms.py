from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField
from wtforms.validators import InputRequired, Optional

from app.blueprints.forms import IdempotentForm
from app.domain.labels import role_label
from app.models import Role

AUDIENCE_HEADINGS = {
    "guardian": _l("For parents and guardians"),
    "teen": _l("For teens"),
    "school": _l("For school staff"),
}
# Roles a whole group can be given a module by: everyone with that role on the team.
GROUP_LABELS = {
    Role.GUARDIAN: _l("Every parent or guardian on the team"),
    Role.SCHOOL: _l("Everyone from the school on the team"),
}


def option_number(value) -> int:
    """The chosen option's number; anything else becomes 0, which no option has."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class AnswerForm(FlaskForm):
    option = RadioField(
        _l("Your answer"),
        coerce=option_number,
        validate_choice=False,
        validators=[InputRequired(message=_l("Please choose an answer."))],
    )


class DueDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Please enter a date as year, month and day.")) from None


class AssignForm(IdempotentForm):
    module = SelectField(
        _l("Lesson"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Please choose a lesson."))],
    )
    assignee = SelectField(
        _l("Who should read it"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Please choose who should read it."))],
    )
    due_on = DueDateField(
        _l("Due date (optional)"),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )

    def __init__(self, modules, members, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grouped: dict[str, list[tuple[str, str]]] = {}
        for module in modules:
            heading = str(AUDIENCE_HEADINGS[module.audience])
            grouped.setdefault(heading, []).append((module.slug, module.title))
        self.module.choices = {"": [("", _l("Choose a lesson"))], **grouped}
        self.assignee.choices = {
            "": [("", _l("Choose who"))],
            str(_l("A group")): [(f"role:{role}", label) for role, label in GROUP_LABELS.items()],
            str(_l("One person")): [
                (f"member:{m.id}", f"{m.user.name} · {role_label(m.role)}") for m in members
            ],
        }

    def assignment(self) -> dict:
        """The service's arguments: the module, one member or a whole role, the due date."""
        return {
            "slug": self.module.data,
            "member_id": self.member_id,
            "role": self.role,
            "due_on": self.due_on.data,
        }

    @property
    def member_id(self) -> int | None:
        kind, _, value = (self.assignee.data or "").partition(":")
        return option_number(value) if kind == "member" else None

    @property
    def role(self) -> Role | None:
        kind, _, value = (self.assignee.data or "").partition(":")
        return Role(value) if kind == "role" and value in set(Role) else None
