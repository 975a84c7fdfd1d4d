"""The rules of the code's shape that no linter here knows: one policy decides every role and
status question, and the policy layer is where access rules live (import-linter holds the
layers, ruff's banned-api keeps the request out of the domain: see pyproject.toml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A role or a membership's, account's, session's or message's state compared, tested or
# filtered on: the questions app/policy answers.
DECISION = re.compile(
    r"""
    \brole\s*(==|!=|\bin\b|\bnot\s+in\b)        # role == Role.TEEN, role in (...)
    | \.role\.in_\(                             # Membership.role.in_(...)
    | \b(restricted_at|ended_at|deleted_at)\b(?!\s*=[^=])(?!\s*[:,)"])(?!\.label)
    """,
    re.VERBOSE,
)
# Where the rule does not apply, and why.
EXEMPT = (
    "app/policy/",  # the one place that decides
    "app/models/",  # the columns themselves
    "app/demo/",  # fixture generators: they build the demo's rows, they decide no access
    "app/seed/",  # the same for the bench seed
)
# Reads that carry a state to the policy or into a download, and decide nothing.
ALLOWED = {
    ("app/domain/plans/queries.py", "Membership.restricted_at,"),
    ("app/domain/accounts/export.py", '"ended_at": iso(r.ended_at),'),
    ("app/domain/teams/revisions.py", 'PERSON_FIELDS = ("name", "timezone", "deleted_at")'),
    # The policy's own answer, asked of the role the teen chose to preview.
    ("app/blueprints/teen/routes.py", "if role not in previewable_roles(membership):"),
}


def _decides(code: str) -> bool:
    # A loop's targets ("for event, user, role in rows") name values; they test nothing.
    return bool(DECISION.search(re.sub(r"\bfor\s+[\w\s,()]+?\s+in\b", "for _ in", code)))


def _sources() -> list[Path]:
    files = [*(ROOT / "app").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]
    return [f for f in files if not str(f.relative_to(ROOT)).startswith(EXEMPT)]


def _decisions(path: Path) -> list[str]:
    found = []
    relative = str(path.relative_to(ROOT))
    for number, line in enumerate(path.read_text().splitlines(), 1):
        code = line.split("#", 1)[0] if path.suffix == ".py" else line
        if _decides(code) and (relative, line.strip()) not in ALLOWED:
            found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_role_or_status_decision_outside_the_policy():
    found = [hit for path in _sources() for hit in _decisions(path)]
    assert found == [], "ask app/policy instead:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "line",
    [
        "if membership.role == Role.TEEN:",
        "if m.role != Role.SCHOOL or in_force(m)",
        "    .where(Membership.role.in_([Role.TEEN, Role.GUARDIAN]))",
        "if user.deleted_at is not None:",
        "select(User).where(User.deleted_at.is_(None))",
        "{% if m.restricted_at %}",
        "{% if m.role == 'guardian' %}",
        "UserSession.ended_at.is_(None)",
    ],
)
def test_the_check_sees_a_decision(line):
    assert _decides(line), line


@pytest.mark.parametrize(
    "line",
    [
        "guardian.restricted_at = utcnow()",
        "query.values(ended_at=utcnow())",
        "restricted_at: datetime | None",
        "names(message.author_membership_id, message.author_deleted_at)",
        "for event, user, role in rows[:PAGE_SIZE]",
    ],
)
def test_the_check_lets_writes_and_plain_reads_pass(line):
    assert not _decides(line), line
