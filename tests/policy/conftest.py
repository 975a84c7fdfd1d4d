"""One small world for the policy's unit tests, built once per run, read by every test.

The policy decides from memberships, consents and dates, so most of its rules are tested on
plain unsaved model objects (see `member()` and `consent()` below) and need no database. The
rules that are queries read this world instead: a handful of care teams with exactly the
people the rules of DESIGN.md ("Who sees what", the consent rule) tell apart:

- `dual` is a therapist on team A and a guardian on team B (one person, two roles);
- `gone` was a therapist on team A whose account was deleted (`User.deleted_at` is set);
- `a.restricted` is a guardian whose access a therapist restricted;
- A's school counselors each have the consent that says what they may see: one in force, one
  whose last day is today and one whose first day is today (both in force), one that ended
  yesterday, one that starts tomorrow, one
  missing the teen's signature, one signed by nobody, one revoked, one restricted counselor,
  one with none at all;
- team C's teen turns 12, the practice's consent age, tomorrow: a guardian still signs for
  them today; C's `c.guardian_gone` and `c.school_gone` (whose school-plan consent is in
  force) closed their accounts;
- A's teen has one live sign-in and one that ended.

Every test gets its own app context (a fresh `g`, a fresh database session) and whatever it
writes is rolled back. "Today" is TODAY for every rule that asks for the date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from app import create_app
from app.extensions import db
from app.models import (
    AccessEvent,
    Alert,
    CarePlan,
    CareTeam,
    CheckIn,
    Consent,
    ConsentRule,
    ConsentSignature,
    Membership,
    Message,
    ModuleAssignment,
    ModuleProgress,
    Organization,
    OrgKind,
    PlanItem,
    PlanVersion,
    PracticeStaff,
    Role,
    Scope,
    Section,
    TeamStatus,
    Thread,
    ThreadKind,
    User,
    UserSession,
)
from app.policy import consents
from tests.factories import make_user

TODAY = date(2026, 3, 10)
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)
NOW = datetime(2026, 3, 10, 12, 0)


# -- plain objects, no database -------------------------------------------------------------

_ids = iter(range(10_000, 1_000_000))


def member(
    role: Role, *, team_id: int = 1, restricted: bool = False, id: int | None = None
) -> Membership:
    """An unsaved membership: enough for every rule that reads only the membership."""
    return Membership(
        id=id if id is not None else next(_ids),
        user_id=next(_ids),
        team_id=team_id,
        role=role,
        restricted_at=NOW if restricted else None,
    )


def practice(rule: ConsentRule, teen_age: int = 12) -> Organization:
    return Organization(
        name="P", kind=OrgKind.PRACTICE, country="US", consent_rule=rule, consent_teen_age=teen_age
    )


def team_of_teen(born: date, *, id: int = 1) -> CareTeam:
    return CareTeam(id=id, practice_id=1, teen_name="T", teen_birth_date=born)


def consent(
    *signers: Membership | Role,
    team_id: int = 1,
    starts: date = YESTERDAY,
    ends: date = TOMORROW,
    revoked: bool = False,
    scope: Scope = Scope.SCHOOL_PLAN,
) -> Consent:
    """An unsaved consent with its signatures (a signer is a Membership or just a Role)."""
    made = Consent(
        id=next(_ids),
        team_id=team_id,
        scope=scope,
        starts_on=starts,
        ends_on=ends,
        revoked_at=NOW if revoked else None,
    )
    made.signatures = [
        ConsentSignature(
            membership_id=s.id if isinstance(s, Membership) else next(_ids),
            signer_role=s.role if isinstance(s, Membership) else s,
        )
        for s in signers
    ]
    return made


# -- the world --------------------------------------------------------------------------------


@dataclass
class Ids:
    """The ids of the world's records, by name; World turns them back into records."""

    users: dict[str, int] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    practices: dict[str, int] = field(default_factory=dict)
    records: dict[str, tuple[type, int]] = field(default_factory=dict)


class _Builder:
    def __init__(self) -> None:
        self.ids = Ids()

    def add(self, name: str, record):
        db.session.add(record)
        db.session.flush()
        self.ids.records[name] = (type(record), record.id)
        return record

    def practice(self, name: str, rule: ConsentRule, teen_age: int = 12) -> Organization:
        org = Organization(
            name=name,
            kind=OrgKind.PRACTICE,
            country="US",
            consent_rule=rule,
            consent_teen_age=teen_age,
        )
        self.add(name, org)
        self.ids.practices[name] = org.id
        return org

    def team(self, name: str, org: Organization, teen_name: str, born: date, **kw) -> CareTeam:
        care_team = CareTeam(practice_id=org.id, teen_name=teen_name, teen_birth_date=born, **kw)
        self.add(f"team:{name}", care_team)
        self.ids.teams[name] = care_team.id
        return care_team

    def user(self, key: str, **kw) -> User:
        if key not in self.ids.users:
            self.ids.users[key] = make_user(f"{key}@policy.test", key, **kw).id
        return db.session.get(User, self.ids.users[key])

    def member(
        self, key: str, care_team: CareTeam, role: Role, user: str | None = None, **kw
    ) -> Membership:
        person = self.user(user or key)
        membership = Membership(user_id=person.id, team_id=care_team.id, role=role, **kw)
        self.add(f"member:{key}", membership)
        self.ids.members[key] = membership.id
        return membership

    def get_member(self, key: str) -> Membership:
        return db.session.get(Membership, self.ids.members[key])

    def consent(
        self,
        key: str,
        care_team: CareTeam,
        scope: Scope,
        recipient: Membership | None,
        signers: tuple[Membership, ...],
        starts: date = TODAY - timedelta(days=30),
        ends: date = TODAY + timedelta(days=30),
        revoked: bool = False,
    ) -> Consent:
        made = Consent(
            team_id=care_team.id,
            scope=scope,
            recipient_membership_id=recipient.id if recipient else None,
            starts_on=starts,
            ends_on=ends,
            purpose="p",
            text_version="1",
            text="t",
            revoked_at=NOW if revoked else None,
        )
        self.add(f"consent:{key}", made)
        for signer in signers:
            db.session.add(
                ConsentSignature(
                    team_id=care_team.id,
                    consent_id=made.id,
                    membership_id=signer.id,
                    signer_role=signer.role,
                    typed_name="n",
                )
            )
        db.session.flush()
        return made


def build_world() -> Ids:
    b = _Builder()
    north = b.practice("north", ConsentRule.BOTH, 12)  # guardian and teen sign, from age 12
    south = b.practice("south", ConsentRule.TEEN, 14)  # the teen alone, from age 14
    west = b.practice("west", ConsentRule.GUARDIAN, 12)  # a guardian alone

    # Practice staff who lead no team: they still read their practice's audit log.
    staff = b.user("staff")
    db.session.add(PracticeStaff(user_id=staff.id, organization_id=north.id))
    # On two practices' staff, the later practice first.
    staff2 = b.user("staff2")
    db.session.add(PracticeStaff(user_id=staff2.id, organization_id=west.id))
    db.session.flush()
    db.session.add(PracticeStaff(user_id=staff2.id, organization_id=north.id))

    # Team A (north): the teen is 14, over the consent age, so both sign.
    a = b.team("a", north, "Alex", date(2011, 5, 1))
    b.member("a.therapist", a, Role.THERAPIST, user="dual")
    b.member("a.gone", a, Role.THERAPIST, user="gone")
    b.user("gone").deleted_at = NOW
    a_teen = b.member("a.teen", a, Role.TEEN)
    a_guardian = b.member("a.guardian", a, Role.GUARDIAN)
    b.member("a.guardian2", a, Role.GUARDIAN)
    b.member("a.restricted", a, Role.GUARDIAN, restricted_at=NOW, restricted_reason="order")
    both = (a_guardian, a_teen)
    for key, kw in {
        "a.school": {},  # school plan and school thread consents in force
        "a.school_last_day": {"ends": TODAY},
        "a.school_first_day": {"starts": TODAY},
        "a.school_ended": {"ends": YESTERDAY},
        "a.school_tomorrow": {"starts": TOMORROW},
        "a.school_half": {"signers": (a_guardian,)},
        "a.school_revoked": {"revoked": True},
        "a.school_restricted": {},
    }.items():
        counselor = b.member(
            key, a, Role.SCHOOL, restricted_at=NOW if key == "a.school_restricted" else None
        )
        kw = {"signers": both, **kw}
        b.consent(key, a, Scope.SCHOOL_PLAN, counselor, **kw)
    b.member("a.school_none", a, Role.SCHOOL)
    unsigned = b.member("a.school_unsigned", a, Role.SCHOOL)
    b.consent("a.school_unsigned", a, Scope.SCHOOL_PLAN, unsigned, ())
    thread_only = b.member("a.school_thread_only", a, Role.SCHOOL)
    b.consent("a.school.thread", a, Scope.SCHOOL_THREAD, b.get_member("a.school"), both)
    b.consent("a.school_thread_only", a, Scope.SCHOOL_THREAD, thread_only, both)
    b.consent("a.summary", a, Scope.CHECKIN_SUMMARY, None, both)  # every guardian of A

    # Team B (south, the teen alone signs from 14; Blake is 15): dual is a guardian here.
    bt = b.team("b", south, "Blake", date(2010, 6, 1))
    b.member("b.therapist", bt, Role.THERAPIST, user="bea")
    b_teen = b.member("b.teen", bt, Role.TEEN)
    b_guardian = b.member("b.guardian", bt, Role.GUARDIAN, user="dual")
    for key, signer in (("b.school", b_teen), ("b.school_g", b_guardian)):
        b.consent(key, bt, Scope.SCHOOL_PLAN, b.member(key, bt, Role.SCHOOL), (signer,))
        b.consent(f"{key}.thread", bt, Scope.SCHOOL_THREAD, b.get_member(key), (signer,))
    b.consent("b.summary", bt, Scope.CHECKIN_SUMMARY, None, (b_guardian, b_teen), revoked=True)

    # Team C (north): Casey turns 12 tomorrow, so today a guardian signs in the teen's place.
    c = b.team("c", north, "Casey", date(2014, 3, 11))
    b.member("c.therapist", c, Role.THERAPIST, user="solo")
    c_teen = b.member("c.teen", c, Role.TEEN)
    c_guardian = b.member("c.guardian", c, Role.GUARDIAN)
    for key, signer in (("c.school", c_guardian), ("c.school_t", c_teen)):
        b.consent(key, c, Scope.SCHOOL_PLAN, b.member(key, c, Role.SCHOOL), (signer,))
    b.consent("c.summary", c, Scope.CHECKIN_SUMMARY, None, (c_guardian,))
    # Two of C's people closed their accounts: a guardian, and a counselor whose school-plan
    # consent is still in force. Their memberships stay; they have left the team.
    b.member("c.guardian_gone", c, Role.GUARDIAN)
    b.user("c.guardian_gone").deleted_at = NOW
    school_gone = b.member("c.school_gone", c, Role.SCHOOL)
    b.user("c.school_gone").deleted_at = NOW
    b.consent("c.school_gone", c, Scope.SCHOOL_PLAN, school_gone, (c_guardian,))

    # Team D (north): two present therapists. Team E (north): closed. Team F (west).
    d = b.team("d", north, "Dana", date(2011, 1, 1))
    b.member("d.therapist", d, Role.THERAPIST, user="solo")
    b.member("d.therapist2", d, Role.THERAPIST, user="dora")
    e = b.team("e", north, "Avery", date(2011, 1, 1), status=TeamStatus.CLOSED)
    b.member("e.therapist", e, Role.THERAPIST, user="solo")
    f = b.team("f", west, "Blair", date(2011, 1, 1))
    b.member("f.therapist", f, Role.THERAPIST, user="solo")
    f_teen = b.member("f.teen", f, Role.TEEN)
    f_guardian = b.member("f.guardian", f, Role.GUARDIAN)
    for key, signer in (("f.school", f_guardian), ("f.school_t", f_teen)):
        b.consent(key, f, Scope.SCHOOL_PLAN, b.member(key, f, Role.SCHOOL), (signer,))
    b.consent("f.summary", f, Scope.CHECKIN_SUMMARY, None, (f_teen,))  # west wants a guardian

    # A's teen has signed in twice: one sign-in still live, one ended by signing out.
    for key, ended in (("a.teen.live", None), ("a.teen.ended", NOW)):
        b.add(
            f"session:{key}",
            UserSession(user_id=a_teen.user_id, token_hash=key, ended_at=ended),
        )

    _threads(b, a, bt)
    _checkins(b, a, bt)
    _plan(b, a)
    _modules(b, a, bt)
    _events(b, a, bt, c)
    db.session.commit()
    return b.ids


def _threads(b: _Builder, a: CareTeam, bt: CareTeam) -> None:
    m = b.ids.members
    care = b.add("thread:a.care_team", Thread(team_id=a.id, kind=ThreadKind.CARE_TEAM))
    school = b.add(
        "thread:a.school", Thread(team_id=a.id, kind=ThreadKind.SCHOOL, teen_included=True)
    )
    b_care = b.add("thread:b.care_team", Thread(team_id=bt.id, kind=ThreadKind.CARE_TEAM))
    for key, thread, author, extra in (
        ("a.by_therapist", care, "a.therapist", {}),
        ("a.by_teen", care, "a.teen", {}),
        ("a.deleted", care, "a.teen", {"deleted_at": NOW}),
        ("a.hidden", care, "a.guardian", {"hidden_at": NOW}),
        ("a.by_former", care, None, {}),
        ("a.in_school", school, "a.school", {}),
        ("b.by_therapist", b_care, "b.therapist", {}),
    ):
        b.add(
            f"message:{key}",
            Message(
                team_id=thread.team_id,
                thread_id=thread.id,
                author_membership_id=m[author] if author else None,
                body=key,
                **extra,
            ),
        )


def _checkins(b: _Builder, a: CareTeam, bt: CareTeam) -> None:
    for name, care_team in (("a", a), ("b", bt)):
        checkin = b.add(
            f"checkin:{name}",
            CheckIn(
                team_id=care_team.id,
                teen_membership_id=b.ids.members[f"{name}.teen"],
                local_date=YESTERDAY,
                urge=4,
                thoughts=1,
                acted=False,
            ),
        )
        b.add(f"alert:{name}", Alert(team_id=care_team.id, checkin_id=checkin.id, reasons=["urge"]))


# Plan items of team A, by key: (section, for_teen, for_family, for_school).
PLAN_ITEMS = {
    "teen_only": (Section.WARNING_SIGNS, True, False, False),
    "family_only": (Section.FAMILY_HELP, False, True, False),
    "school_only": (Section.SCHOOL_PLAN, False, False, True),
    "everyone": (Section.HELP_PEOPLE, True, True, True),
    "unmarked": (Section.GOALS, False, False, False),
    "clinical_marked_for_all": (Section.CLINICAL_NOTES, True, True, True),
    "coping_teen": (Section.COPING_STEPS, True, False, False),
    "coping_family": (Section.COPING_STEPS, False, True, False),
    "coping_school": (Section.COPING_STEPS, False, False, True),
    "coping_unmarked": (Section.COPING_STEPS, False, False, False),
}


def _plan(b: _Builder, a: CareTeam) -> None:
    plan = b.add("plan:a", CarePlan(team_id=a.id, current_number=1))
    version = b.add(
        "version:a", PlanVersion(team_id=a.id, plan_id=plan.id, number=1, review_due=TOMORROW)
    )
    for position, (key, (section, teen, family, school)) in enumerate(PLAN_ITEMS.items()):
        b.add(
            f"item:{key}",
            PlanItem(
                team_id=a.id,
                version_id=version.id,
                key=key,
                section=section,
                position=position,
                text=key,
                for_teen=teen,
                for_family=family,
                for_school=school,
            ),
        )


def _modules(b: _Builder, a: CareTeam, bt: CareTeam) -> None:
    m = b.ids.members
    for key, care_team, named, role in (
        ("named_guardian", a, "a.guardian", None),
        ("all_guardians", a, None, Role.GUARDIAN),
        ("all_teens", a, None, Role.TEEN),
        ("named_teen", a, "a.teen", None),
        ("b_guardians", bt, None, Role.GUARDIAN),
    ):
        b.add(
            f"assignment:{key}",
            ModuleAssignment(
                team_id=care_team.id,
                module_slug=key,
                membership_id=m[named] if named else None,
                role=role,
            ),
        )
    for key, care_team, reader in (
        ("read_by_guardian", a, "a.guardian"),
        ("read_by_guardian2", a, "a.guardian2"),
        ("read_by_teen", a, "a.teen"),
        ("read_by_b_guardian", bt, "b.guardian"),
    ):
        b.add(
            f"progress:{key}",
            ModuleProgress(team_id=care_team.id, membership_id=m[reader], module_slug=key),
        )


def _events(b: _Builder, a: CareTeam, bt: CareTeam, c: CareTeam) -> None:
    u = b.ids.users
    for key, team_id, user, action in (
        ("a.plan_view", a.id, "a.guardian", "plan.view"),
        ("b.plan_view", bt.id, "b.teen", "plan.view"),
        ("c.checkin_view", c.id, "c.guardian", "checkin.view"),
        ("a.teen_login", None, "a.teen", "auth.login"),
        ("a.guardian_account", None, "a.guardian", "account.password"),
        ("b.teen_login", None, "b.teen", "auth.login"),
        # An account event on B's record by dual (also a therapist of north): B's, not north's.
        ("b.dual_account", bt.id, "dual", "account.export"),
        ("a.teen_teamless", None, "a.teen", "plan.view"),  # not a personal event
        ("nobody_login", None, None, "auth.login"),  # an email with no account
        ("staff_login", None, "staff", "auth.login"),  # staff are on no team
    ):
        b.add(
            f"event:{key}",
            AccessEvent(team_id=team_id, user_id=u[user] if user else None, action=action),
        )


class World:
    """The world's records, read afresh in the test's own session."""

    def __init__(self, ids: Ids) -> None:
        self.ids = ids

    def m(self, key: str) -> Membership:
        return db.session.get(Membership, self.ids.members[key])

    def u(self, key: str) -> User:
        return db.session.get(User, self.ids.users[key])

    def team(self, key: str) -> CareTeam:
        return db.session.get(CareTeam, self.ids.teams[key])

    def practice(self, key: str) -> Organization:
        return db.session.get(Organization, self.ids.practices[key])

    def get(self, name: str):
        model, record_id = self.ids.records[name]
        return db.session.get(model, record_id)

    def id(self, name: str) -> int:
        return self.ids.records[name][1]

    def name_of(self, model: type, record_id: int) -> str:
        return next(n for n, (t, i) in self.ids.records.items() if t is model and i == record_id)

    def keys(self, memberships) -> set[str]:
        """The world keys of these memberships (or membership ids)."""
        by_id = {i: k for k, i in self.ids.members.items()}
        return {by_id[r if isinstance(r, int) else r.id] for r in memberships}

    def team_keys(self, teams) -> set[str]:
        """The world keys of these care teams (or team ids)."""
        by_id = {i: k for k, i in self.ids.teams.items()}
        return {by_id[t if isinstance(t, int) else t.id] for t in teams}

    def names(self, model: type, rows) -> set[str]:
        """The world names of these records (or ids): what a test compares with its table."""
        return {self.name_of(model, r if isinstance(r, int) else r.id) for r in rows}


@pytest.fixture(scope="session")
def world_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("policy") / "policy.sqlite3"
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "p" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "WTF_CSRF_ENABLED": False,
            "BASE_URL": "http://harbor.test",
            "MAIL_CONSOLE": False,
            "DEMO": False,
        }
    )
    with application.app_context():
        db.create_all()
        ids = build_world()
        db.session.remove()
    application.extensions["policy_world"] = ids
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def frozen_today(monkeypatch):
    """The policy's "today" is TODAY."""
    monkeypatch.setattr(consents, "_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def w(world_app, frozen_today):
    """The world, in an app context of the test's own; nothing the test writes is kept."""
    with world_app.app_context():
        yield World(world_app.extensions["policy_world"])
        db.session.rollback()


@pytest.fixture
def request_ctx(world_app, w):
    """A request context on the world's app (same `g` and session as `w`)."""
    with world_app.test_request_context("/") as ctx:
        yield ctx


@pytest.fixture
def queries(w):
    """Counts the SQL statements run while the test runs (read `.count`)."""

    class Counter:
        count = 0

    counter = Counter()

    def on_execute(*_args):
        counter.count += 1

    event.listen(db.engine, "before_cursor_execute", on_execute)
    yield counter
    event.remove(db.engine, "before_cursor_execute", on_execute)
