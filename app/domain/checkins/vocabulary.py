"""The words of the daily check-in: the emotions a teen can name, and the answers' labels."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from app.models import AlertReason, Helped

SCALE = range(0, 6)  # every 0-5 answer: 0 = none / not felt, 5 = very strong


@dataclass(frozen=True)
class Emotion:
    code: str
    label: object  # a lazy string
    pleasant: bool


EMOTIONS: tuple[Emotion, ...] = (
    Emotion("happy", _l("Happy"), True),
    Emotion("calm", _l("Calm"), True),
    Emotion("proud", _l("Proud"), True),
    Emotion("hopeful", _l("Hopeful"), True),
    Emotion("grateful", _l("Grateful"), True),
    Emotion("excited", _l("Excited"), True),
    Emotion("sad", _l("Sad"), False),
    Emotion("lonely", _l("Lonely"), False),
    Emotion("hurt", _l("Hurt"), False),
    Emotion("angry", _l("Angry"), False),
    Emotion("frustrated", _l("Frustrated"), False),
    Emotion("anxious", _l("Anxious"), False),
    Emotion("scared", _l("Scared"), False),
    Emotion("ashamed", _l("Ashamed"), False),
    Emotion("guilty", _l("Guilty"), False),
    Emotion("numb", _l("Numb"), False),
    Emotion("overwhelmed", _l("Overwhelmed"), False),
    Emotion("tired", _l("Tired"), False),
)
BY_CODE = {emotion.code: emotion for emotion in EMOTIONS}

HELPED_LABELS = {
    Helped.NOT: _l("Did not help"),
    Helped.A_BIT: _l("Helped a bit"),
    Helped.A_LOT: _l("Helped a lot"),
}

# The answers to "did you try this coping step, and did it help?", as the form offers them.
STEP_OPTIONS = (
    SelectChoice("", _l("Did not try")),
    SelectChoice(Helped.A_LOT.value, HELPED_LABELS[Helped.A_LOT]),
    SelectChoice(Helped.A_BIT.value, HELPED_LABELS[Helped.A_BIT]),
    SelectChoice(Helped.NOT.value, HELPED_LABELS[Helped.NOT]),
)

REASON_LABELS = {
    AlertReason.URGE: _l("Strong urge to self-harm"),
    AlertReason.THOUGHTS: _l("Thoughts of suicide"),
    AlertReason.ACTED: _l("Acted on an urge"),
}


def emotion_label(code: str) -> str:
    emotion = BY_CODE.get(code)
    return str(emotion.label) if emotion else code


def helped_label(helped: Helped | str) -> str:
    return str(HELPED_LABELS[Helped(helped)])


def reason_label(reason: AlertReason | str) -> str:
    return str(REASON_LABELS[AlertReason(reason)])
