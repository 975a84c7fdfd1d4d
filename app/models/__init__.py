"""Every model, imported so Alembic and the app see one complete metadata."""

from app.models.audit import AccessEvent
from app.models.outbox import OutboxMessage, OutboxStatus
from app.models.plans import AckKind, CarePlan, PlanAcknowledgement, PlanItem, PlanVersion, Section
from app.models.teams import (
    CareTeam,
    ConsentRule,
    Invitation,
    Membership,
    Organization,
    OrgKind,
    PracticeStaff,
    Role,
    TeamStatus,
)
from app.models.users import PasswordResetToken, User, UserSession

__all__ = [
    "AccessEvent",
    "AckKind",
    "CarePlan",
    "PlanAcknowledgement",
    "PlanItem",
    "PlanVersion",
    "Section",
    "CareTeam",
    "ConsentRule",
    "Invitation",
    "Membership",
    "OrgKind",
    "Organization",
    "OutboxMessage",
    "OutboxStatus",
    "PasswordResetToken",
    "PracticeStaff",
    "Role",
    "TeamStatus",
    "User",
    "UserSession",
]
