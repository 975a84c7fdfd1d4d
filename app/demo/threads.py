"""Demo conversations: every kind of thread for both demo teams, with a few unread messages,
one message hidden by the therapist and one the author deleted. Safe to run again.

Written the way the CONTENT.md rules ask: practical and hopeful, no detail of self-harm, help
pointed to (the safety plan, "Get help now", crisis lines from the data file).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select

from app.db import utcnow
from app.extensions import db
from app.models import CareTeam, Membership, Message, Role, Thread, ThreadKind, ThreadRead

K = ThreadKind
# Speakers: "therapist", "teen", "parent_a", "parent_b" (in the order they joined), "school".
# A line is (speaker, text) or (speaker, text, extra) where extra marks it "deleted" or
# ("hidden", reason).
MAYA = {
    K.CARE_TEAM: [
        (
            "therapist",
            "Welcome, everyone. This thread is for practical updates for the whole team: Maya, Elena, David, Mr. Okafor and me.\n\nMessages here are not watched around the clock. If anyone is worried about Maya's safety right now, use \u201cGet help now\u201d or call or text 988.",
        ),
        (
            "parent_a",
            "Thank you, Dr. Chen. Maya had a calm weekend. We walked Biscuit together both mornings.",
        ),
        ("teen", "Can we move Thursday's session to 4:30? Art club is back on Thursdays."),
        ("therapist", "Yes, 4:30 on Thursday works. Glad art club is back, Maya."),
        (
            "parent_b",
            "I heard from another parent that a boy in Maya's grade is also seeing a counselor. Maybe the school could put them in touch?",
            (
                "hidden",
                "Names another child and their health. I will call David to talk it through.",
            ),
        ),
        (
            "school",
            "Maya's teachers all have the note about her pass. Nobody will ask her to explain why she needs it.",
        ),
        (
            "parent_a",
            "For anyone who wants it, this is the 988 Lifeline page Dr. Chen showed us: https://988lifeline.org",
        ),
        (
            "therapist",
            "Thanks, Elena. Reminder for everyone: the review of the plan is in two weeks. Tell me before then if something in it is not working.",
        ),
    ],
    K.FAMILY: [
        (
            "therapist",
            "This is our space for the family: Maya, Elena, David and me. Maya, you are part of every conversation here.",
        ),
        (
            "parent_b",
            "We tried one check-in in the evening instead of asking all day. It felt calmer at home.",
        ),
        ("teen", "It was better. Thanks for not asking every hour."),
        ("teen", "nvm", "deleted"),
        ("parent_a", "The medicine box is locked and I keep the key, like we agreed."),
        (
            "therapist",
            "Thank you, all three of you. Small changes like these add up, and it is okay if some days are harder. Let's talk about how the week went on Thursday.",
        ),
        ("parent_b", "Maya showed me two pages of her fox comic last night. It's really good."),
    ],
    K.TEEN_THERAPIST: [
        (
            "therapist",
            "Hi Maya, this thread is just for you and me. Your parents and the school can't read it.\n\nI don't see messages right away. If you feel unsafe, open your plan with \u201cHelp now\u201d, talk to Mom, or call or text 988.",
        ),
        (
            "teen",
            "ok. yesterday was hard after the argument about grades. I used the cold water thing and texted Priya.",
        ),
        (
            "therapist",
            "Thank you for telling me, Maya. You used your plan when it was hard, and reaching out to Priya took courage. Do you want to talk about the grades argument on Thursday?",
        ),
        ("teen", "yeah. maybe with mom for the last 10 min?"),
        (
            "therapist",
            "Good idea. I will ask her to join us at the end. You decide how much we share.",
        ),
        ("teen", "also I finished 3 more pages of the comic"),
    ],
    K.SCHOOL: [
        (
            "school",
            "Hello all. I'm James Okafor, Maya's school counselor. Her pass to leave class and come to my office is set up.",
        ),
        (
            "parent_a",
            "Thank you, Mr. Okafor. Exam week starts on the 12th. Will the extra time on assignments be in place?",
        ),
        ("school", "Yes. All of her teachers confirmed the extra time for exam weeks."),
        ("teen", "thanks. can I go to the library instead of the office when I need a break?"),
        (
            "therapist",
            "That sounds like a good idea to me. James, could the library be one of Maya's quiet places?",
        ),
        ("school", "Yes. The librarian knows, and Maya only needs to show her pass."),
    ],
}

DIEGO = {
    K.CARE_TEAM: [
        (
            "therapist",
            "Bienvenidos. Este hilo es para avisos prácticos de todo el equipo: Diego, Lucía, Javier, la maestra Ruiz y yo.\n\nNadie revisa los mensajes a toda hora. Si les preocupa la seguridad de Diego en este momento, usen \u201cObtener ayuda ahora\u201d o llamen a la Línea de la Vida: 800 911 2000.",
        ),
        (
            "parent_a",
            "Gracias, doctora. Diego durmió mejor esta semana y ayer salió a andar en bici con su primo.",
        ),
        ("teen", "¿Podemos cambiar la sesión del martes a las 5? Tengo entrenamiento de fútbol."),
        ("therapist", "Sí, el martes a las 5 está bien. Qué bueno que volviste al fútbol, Diego."),
        (
            "school",
            "Los maestros de Diego ya tienen la indicación del pase. Nadie le va a pedir que explique para qué lo usa.",
        ),
        (
            "parent_b",
            "Comparto la página de la Línea de la Vida que nos recomendó la doctora: https://www.gob.mx/salud/conadic",
        ),
        (
            "therapist",
            "Gracias, Javier. Les recuerdo que revisaremos el plan en dos semanas. Si algo no está funcionando, díganme antes.",
        ),
    ],
    K.FAMILY: [
        (
            "therapist",
            "Este es el espacio de la familia: Diego, Lucía, Javier y yo. Diego, tú participas en todo lo que se hable aquí.",
        ),
        (
            "parent_a",
            "Probamos preguntarle a Diego cómo está solo en la cena, sin insistir durante el día. Se sintió más tranquilo.",
        ),
        ("teen", "Sí, así está mejor."),
        (
            "parent_b",
            "Le dije a un vecino todo lo que ha pasado con Diego y me recomendó ser más estricto.",
            (
                "hidden",
                "Comparte detalles de Diego fuera del equipo. Lo platico con Javier por teléfono.",
            ),
        ),
        ("parent_b", "Guardamos las medicinas en la caja con llave, como acordamos."),
        (
            "therapist",
            "Gracias a los tres. Estos cambios pequeños ayudan mucho, y es normal que algunos días cuesten más. El martes vemos cómo les fue.",
        ),
    ],
    K.TEEN_THERAPIST: [
        (
            "therapist",
            "Hola, Diego. Este hilo es solo tuyo y mío. Ni tus papás ni la escuela pueden leerlo.\n\nNo veo los mensajes de inmediato. Si te sientes en peligro, abre tu plan con \u201cAyuda ahora\u201d, habla con tu mamá o llama a la Línea de la Vida: 800 911 2000.",
        ),
        (
            "teen",
            "el viernes fue un mal día en la escuela. me puse los audífonos y salí a caminar con el perro como dice mi plan",
        ),
        (
            "therapist",
            "Gracias por contármelo, Diego. Usaste tu plan en un momento difícil, y eso cuenta mucho. ¿Quieres que el martes hablemos de lo que pasó en la escuela?",
        ),
        ("teen", "sí pero sin mis papás al principio"),
        ("therapist", "De acuerdo. Empezamos tú y yo, y al final decides si invitamos a alguien."),
    ],
    K.SCHOOL: [
        (
            "school",
            "Buenas tardes. Soy Carmen Ruiz, orientadora de Diego. Su pase para salir del salón y venir a orientación ya está listo.",
        ),
        (
            "parent_a",
            "Gracias, maestra. ¿Diego podrá entregar tareas con más tiempo en semana de exámenes?",
        ),
        ("school", "Sí, todos sus maestros confirmaron el tiempo extra en semana de exámenes."),
        (
            "therapist",
            "Gracias, Carmen. Le pedí a Diego que decida él si quiere estar en este hilo; por ahora prefiere que hablemos los adultos.",
        ),
    ],
}

# Who gets a read marker in the demo; app.policy.threads decides who actually reads.
READERS = {
    K.CARE_TEAM: {Role.THERAPIST, Role.TEEN, Role.GUARDIAN},
    K.FAMILY: {Role.THERAPIST, Role.TEEN, Role.GUARDIAN},
    K.TEEN_THERAPIST: {Role.THERAPIST, Role.TEEN},
    K.SCHOOL: {Role.THERAPIST, Role.GUARDIAN},
}
HOURS_BETWEEN = 19  # messages a little under a day apart, the newest a day old


def _speakers(team: CareTeam) -> dict[str, Membership]:
    members = db.session.scalars(
        select(Membership).where(Membership.team_id == team.id).order_by(Membership.id)
    ).all()
    speakers: dict[str, Membership] = {}
    guardians = [m for m in members if m.role == Role.GUARDIAN]
    for member in members:
        if member.role != Role.GUARDIAN:
            speakers.setdefault(member.role.value, member)
    for key, member in zip(("parent_a", "parent_b"), guardians, strict=False):
        speakers[key] = member
    return speakers


def _load(
    team: CareTeam, conversations: dict[ThreadKind, list[tuple]], *, teen_in_school: bool
) -> None:
    if db.session.scalar(select(exists().where(Thread.team_id == team.id))):
        return
    speakers = _speakers(team)
    now = utcnow()
    for kind, lines in conversations.items():
        thread = Thread(
            team_id=team.id, kind=kind, teen_included=kind == K.SCHOOL and teen_in_school
        )
        db.session.add(thread)
        db.session.flush()
        posted = []
        for index, (speaker, text, *extra) in enumerate(lines):
            at = now - timedelta(hours=HOURS_BETWEEN * (len(lines) - index) + 5)
            message = Message(
                team_id=team.id,
                thread_id=thread.id,
                author_membership_id=speakers[speaker].id,
                body=text,
                created_at=at,
            )
            if extra and extra[0] == "deleted":
                message.body, message.deleted_at = "", at + timedelta(minutes=1)
            elif extra:
                message.hidden_at = at + timedelta(hours=2)
                message.hidden_by_membership_id = speakers["therapist"].id
                message.hidden_reason = extra[0][1]
            db.session.add(message)
            db.session.flush()
            posted.append(message)
        # Everyone has read all but the last two messages, so each demo login finds something new.
        marker = posted[-3].id if len(posted) > 2 else None
        spoke = {speaker for speaker, *_ in lines}
        for key, member in speakers.items():
            if key not in spoke and member.role not in READERS[kind]:
                continue
            db.session.add(
                ThreadRead(
                    team_id=team.id,
                    thread_id=thread.id,
                    membership_id=member.id,
                    last_read_message_id=marker,
                    last_notified_at=posted[-1].created_at,
                )
            )
    db.session.flush()


def load_thread_demo(teams: list[CareTeam]) -> None:
    for team, conversations, teen_in_school in zip(
        teams, (MAYA, DIEGO), (True, False), strict=False
    ):
        _load(team, conversations, teen_in_school=teen_in_school)
