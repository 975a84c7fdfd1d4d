"""Who reads, writes and moderates which thread (DESIGN.md: "threads: therapist all of the
team's; teen and guardian those of their kind; school the school thread, with consent in
force"; school counselors "talk with the team, only while a consent for that is in force").

| kind            | therapist | guardian | teen                  | school (thread consent) |
| care team       | yes       | yes      | yes                   | yes                     |
| family          | yes       | yes      | yes                   | -                       |
| teen-therapist  | yes       | -        | yes                   | -                       |
| school          | yes       | yes      | if the teen chose it  | yes                     |

Without the consent a counselor reads none. A restricted member reads none. Another team's
thread is never readable.
"""

from datetime import timedelta

import pytest
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import Message, Role, Thread, ThreadKind
from app.policy.threads import (
    EDIT_WINDOW,
    counts_as_unread,
    is_deleted,
    is_own,
    may_change,
    may_choose_school_thread,
    may_hide,
    may_post,
    may_read,
    may_see_hidden,
    message_or_404,
    readable_thread_or_404,
    readable_threads,
    readers,
    text_readable,
    thread_of_kind,
    unsaved_thread,
    view_is_audited,
    within_edit_window,
)
from tests.policy.conftest import NOW, member

CARE, FAMILY, PRIVATE, SCHOOL = (
    ThreadKind.CARE_TEAM,
    ThreadKind.FAMILY,
    ThreadKind.TEEN_THERAPIST,
    ThreadKind.SCHOOL,
)
KINDS = (CARE, FAMILY, PRIVATE, SCHOOL)

READS = {
    #                           care   family private school  (school: teen not included)
    "a.therapist": (True, True, True, True),
    "a.guardian": (True, True, False, True),
    "a.teen": (True, True, True, False),
    "a.school": (True, False, False, True),  # school-thread consent in force
    "a.school_thread_only": (True, False, False, True),
    "a.school_last_day": (False, False, False, False),  # a plan consent only
    "a.school_none": (False, False, False, False),
    "a.restricted": (False, False, False, False),
    "b.school": (False, False, False, False),  # in force on B, and these are A's threads
}


def _thread(w, kind, teen_included=False):
    return Thread(team_id=w.team("a").id, kind=kind, teen_included=teen_included)


@pytest.mark.parametrize(
    ("who", "kind", "expected"),
    [
        pytest.param(who, kind, row[i], id=f"{who}-{kind}-{'reads' if row[i] else 'no'}")
        for who, row in READS.items()
        for i, kind in enumerate(KINDS)
    ],
)
def test_may_read(w, who, kind, expected):
    assert may_read(w.m(who), _thread(w, kind)) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param("a.teen", True, id="teen"),
        pytest.param("a.therapist", True, id="therapist"),
        pytest.param("a.guardian", True, id="guardian"),
        pytest.param("a.school", True, id="school-with-consent"),
        pytest.param("a.school_none", False, id="school-without-consent"),
    ],
)
def test_the_school_thread_once_the_teen_chose_to_be_in_it(w, who, expected):
    assert may_read(w.m(who), _thread(w, SCHOOL, teen_included=True)) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(None, False, id="nobody"),
        pytest.param("other-team", False, id="another-teams-thread"),
        pytest.param("unknown-role", False, id="a-role-that-does-not-exist"),
    ],
)
def test_may_read_refuses(w, who, expected):
    thread = _thread(w, CARE)
    if who == "other-team":
        reader = w.m("b.therapist")
    elif who == "unknown-role":
        reader = member("nurse", team_id=thread.team_id)
    else:
        reader = None
    assert may_read(reader, thread) is expected


@pytest.mark.parametrize(
    ("who", "kind", "expected"),
    [
        pytest.param("a.therapist", PRIVATE, True, id="therapist-private"),
        pytest.param("a.teen", PRIVATE, True, id="teen-private"),
        pytest.param("a.guardian", PRIVATE, False, id="guardian-private"),
        pytest.param("a.guardian", FAMILY, True, id="guardian-family"),
        pytest.param("a.school", SCHOOL, True, id="school-with-consent"),
        pytest.param("a.school", FAMILY, False, id="school-family"),
        pytest.param("a.school_none", SCHOOL, False, id="school-without-consent"),
        pytest.param("a.restricted", FAMILY, False, id="restricted"),
        pytest.param("b.therapist", CARE, False, id="other-team"),
    ],
)
def test_may_post(w, who, kind, expected):
    assert may_post(w.m(who), _thread(w, kind)) is expected


def test_may_post_nobody(w):
    assert may_post(None, _thread(w, CARE)) is False


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(member(Role.THERAPIST), True, id="therapist"),
        pytest.param(member(Role.THERAPIST, restricted=True), False, id="restricted-therapist"),
        pytest.param(member(Role.GUARDIAN), False, id="guardian"),
        pytest.param(member(Role.TEEN), False, id="teen"),
        pytest.param(member(Role.SCHOOL), False, id="school"),
    ],
)
def test_may_see_hidden(who, expected):
    assert may_see_hidden(who) is expected


@pytest.mark.parametrize(
    ("who", "thread_team", "expected"),
    [
        pytest.param(member(Role.THERAPIST, team_id=1), 1, True, id="therapist"),
        pytest.param(member(Role.THERAPIST, team_id=1), 2, False, id="therapist-other-team"),
        pytest.param(member(Role.GUARDIAN, team_id=1), 1, False, id="guardian"),
        pytest.param(member(Role.TEEN, team_id=1), 1, False, id="teen"),
    ],
)
def test_may_hide(who, thread_team, expected):
    assert may_hide(who, unsaved_thread(thread_team, FAMILY)) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(member(Role.TEEN), True, id="teen"),
        pytest.param(member(Role.TEEN, restricted=True), False, id="restricted-teen"),
        pytest.param(member(Role.THERAPIST), False, id="therapist"),
        pytest.param(member(Role.GUARDIAN), False, id="guardian"),
        pytest.param(member(Role.SCHOOL), False, id="school"),
    ],
)
def test_may_choose_school_thread(who, expected):
    assert may_choose_school_thread(who) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(Role.THERAPIST, False, id="therapist"),
        pytest.param(Role.GUARDIAN, True, id="guardian"),
        pytest.param(Role.TEEN, True, id="teen"),
        pytest.param(Role.SCHOOL, True, id="school"),
    ],
)
def test_view_is_audited(role, expected):
    assert view_is_audited(member(role)) is expected


# -- a message's author changes it for ten minutes ----------------------------------------------

AUTHOR = member(Role.GUARDIAN, id=7)


def _message(author_id=7, age=timedelta(minutes=1), **extra):
    return Message(author_membership_id=author_id, created_at=NOW - age, **extra)


@pytest.mark.parametrize(
    ("author_id", "expected"),
    [
        pytest.param(7, True, id="own"),
        pytest.param(8, False, id="someone-elses"),
        pytest.param(None, False, id="a-former-members"),
    ],
)
def test_is_own(author_id, expected):
    assert is_own(AUTHOR, _message(author_id)) is expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        pytest.param(timedelta(0), True, id="just-now"),
        pytest.param(timedelta(minutes=9, seconds=59), True, id="9m59s"),
        pytest.param(timedelta(minutes=10), True, id="exactly-10m"),
        pytest.param(timedelta(minutes=10, microseconds=1), False, id="just-past-10m"),
        pytest.param(timedelta(hours=2), False, id="2h"),
    ],
)
def test_within_edit_window(age, expected):
    assert within_edit_window(_message(age=age), NOW) is expected


def test_the_edit_window_is_ten_minutes():
    assert timedelta(minutes=10) == EDIT_WINDOW


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param(_message(), True, id="own-fresh"),
        pytest.param(_message(author_id=8), False, id="someone-elses"),
        pytest.param(_message(deleted_at=NOW), False, id="deleted"),
        pytest.param(_message(hidden_at=NOW), False, id="hidden"),
        pytest.param(_message(age=timedelta(minutes=11)), False, id="too-late"),
        pytest.param(_message(age=timedelta(minutes=10)), True, id="last-moment"),
    ],
)
def test_may_change(message, expected):
    assert may_change(AUTHOR, message, NOW) is expected


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        pytest.param(_message(), False, id="standing"),
        pytest.param(_message(deleted_at=NOW), True, id="deleted"),
        pytest.param(_message(hidden_at=NOW), False, id="hidden-is-not-deleted"),
        pytest.param(object(), False, id="something-that-cannot-be-deleted"),
    ],
)
def test_is_deleted(message, expected):
    assert is_deleted(message) is expected


@pytest.mark.parametrize(
    ("who", "message", "expected"),
    [
        pytest.param(member(Role.GUARDIAN), _message(), True, id="guardian-standing"),
        pytest.param(member(Role.GUARDIAN), _message(hidden_at=NOW), False, id="guardian-hidden"),
        pytest.param(member(Role.TEEN), _message(hidden_at=NOW), False, id="teen-hidden"),
        pytest.param(member(Role.THERAPIST), _message(hidden_at=NOW), True, id="therapist-hidden"),
        pytest.param(member(Role.THERAPIST), _message(deleted_at=NOW), False, id="deleted"),
        pytest.param(
            member(Role.THERAPIST, restricted=True),
            _message(hidden_at=NOW),
            False,
            id="restricted-therapist-hidden",
        ),
    ],
)
def test_text_readable(who, message, expected):
    assert text_readable(who, message) is expected


# -- the threads of the world -----------------------------------------------------------------

STORED = {CARE, SCHOOL}  # team A has written in these; the rest are unsaved


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param("a.therapist", [CARE, FAMILY, PRIVATE, SCHOOL], id="therapist"),
        pytest.param("a.guardian", [CARE, FAMILY, SCHOOL], id="guardian"),
        # A's teen chose to be in the school thread.
        pytest.param("a.teen", [CARE, FAMILY, PRIVATE, SCHOOL], id="teen-in-school-thread"),
        pytest.param("b.teen", [CARE, FAMILY, PRIVATE], id="teen-not-in-school-thread"),
        pytest.param("a.school", [CARE, SCHOOL], id="school-with-consent"),
        pytest.param("a.school_none", [], id="school-without-consent"),
        pytest.param("a.restricted", [], id="restricted"),
    ],
)
def test_readable_threads(w, who, expected):
    reader = w.m(who)
    found = readable_threads(reader)
    assert [t.kind for t in found] == expected
    assert all(t.team_id == reader.team_id for t in found)
    if reader.team_id == w.team("a").id:
        assert {t.kind for t in found if t.id is not None} == STORED & set(expected)


def test_unsaved_thread():
    thread = unsaved_thread(5, FAMILY)
    assert (thread.id, thread.team_id, thread.kind, thread.teen_included) == (
        None,
        5,
        FAMILY,
        False,
    )


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        pytest.param("care-team", "stored", id="stored"),
        pytest.param("school", "stored", id="stored-school"),
        pytest.param("family", "unsaved", id="unsaved"),
        pytest.param("teen-therapist", "unsaved", id="unsaved-private"),
        pytest.param("care_team", "404", id="not-a-slug"),
        pytest.param("nope", "404", id="unknown"),
    ],
)
def test_thread_of_kind(w, slug, expected):
    therapist = w.m("a.therapist")
    if expected == "404":
        with pytest.raises(NotFound):
            thread_of_kind(therapist, slug)
        return
    thread = thread_of_kind(therapist, slug)
    assert (thread.kind.slug, thread.team_id) == (slug, therapist.team_id)
    if expected == "stored":
        assert w.name_of(Thread, thread.id) == f"thread:a.{thread.kind}"
    else:
        assert thread.id is None


def test_thread_of_kind_is_the_members_own_teams(w):
    thread = thread_of_kind(w.m("b.therapist"), "care-team")
    assert w.name_of(Thread, thread.id) == "thread:b.care_team"
    assert thread_of_kind(w.m("b.therapist"), "school").id is None


@pytest.mark.parametrize(
    ("who", "slug", "expected"),
    [
        pytest.param("a.guardian", "family", True, id="guardian-family"),
        pytest.param("a.guardian", "teen-therapist", False, id="guardian-private"),
        pytest.param("a.school_none", "school", False, id="school-without-consent"),
        pytest.param("a.school", "school", True, id="school-with-consent"),
    ],
)
def test_readable_thread_or_404(w, who, slug, expected):
    if expected:
        assert readable_thread_or_404(w.m(who), slug).kind.slug == slug
    else:
        with pytest.raises(NotFound):
            readable_thread_or_404(w.m(who), slug)


@pytest.mark.parametrize(
    ("who", "thread", "message", "expected"),
    [
        pytest.param("a.guardian", "care-team", "a.by_teen", True, id="in-the-thread"),
        pytest.param("a.guardian", "care-team", "a.in_school", False, id="of-another-thread"),
        pytest.param("a.guardian", "care-team", "b.by_therapist", False, id="of-another-team"),
        pytest.param("a.guardian", "care-team", None, False, id="missing"),
        pytest.param("a.guardian", "family", "a.by_teen", False, id="unsaved-thread"),
        pytest.param("a.school_none", "care-team", "a.by_teen", False, id="unreadable-thread"),
        pytest.param("a.school", "school", "a.in_school", True, id="school-with-consent"),
    ],
)
def test_message_or_404(w, who, thread, message, expected):
    reader = w.m(who)
    where = thread_of_kind(reader, thread)
    message_id = w.id(f"message:{message}") if message else 999_999
    if expected:
        found = message_or_404(reader, where, message_id)
        assert found.id == message_id
    else:
        with pytest.raises(NotFound):
            message_or_404(reader, where, message_id)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # The therapist: others' messages, hidden ones included (they still read them).
        pytest.param("a.therapist", {"a.by_teen", "a.hidden", "a.by_former"}, id="therapist"),
        pytest.param("a.teen", {"a.by_therapist", "a.by_former"}, id="teen"),
        pytest.param("a.guardian", {"a.by_therapist", "a.by_teen", "a.by_former"}, id="guardian"),
    ],
)
def test_counts_as_unread(w, who, expected):
    thread_id = w.id("thread:a.care_team")
    rows = db.session.scalars(
        db.select(Message).where(Message.thread_id == thread_id, counts_as_unread(w.m(who)))
    )
    assert {w.name_of(Message, m.id).removeprefix("message:") for m in rows} == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        pytest.param(
            CARE,
            {"a.therapist", "a.teen", "a.guardian", "a.school", "a.school_thread_only"},
            id="care-team",
        ),
        pytest.param(FAMILY, {"a.therapist", "a.teen", "a.guardian"}, id="family"),
        pytest.param(PRIVATE, {"a.therapist", "a.teen"}, id="teen-therapist"),
    ],
)
def test_readers(w, kind, expected):
    members = [
        w.m(key)
        for key in (
            "a.therapist",
            "a.teen",
            "a.guardian",
            "a.restricted",
            "a.school",
            "a.school_thread_only",
            "a.school_none",
            "a.school_last_day",
        )
    ]
    assert w.keys(readers(_thread(w, kind), members)) == expected


def test_readers_asks_for_every_counselors_consent_at_once(w, queries):
    members = [w.m(key) for key in ("a.school", "a.school_thread_only", "a.school_none")]
    thread = _thread(w, SCHOOL)
    before = queries.count
    assert w.keys(readers(thread, members)) == {"a.school", "a.school_thread_only"}
    assert queries.count == before + 1


def test_message_or_404_wants_the_message_of_the_members_own_team(w):
    """Even a message filed under this thread is refused if it is another team's record."""
    reader = w.m("a.guardian")
    thread = thread_of_kind(reader, "care-team")
    stray = Message(team_id=w.team("b").id, thread_id=thread.id, body="b's")
    db.session.add(stray)
    db.session.flush()
    with pytest.raises(NotFound):
        message_or_404(reader, thread, stray.id)
