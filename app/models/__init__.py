"""Every model, imported so Alembic and the app see one complete metadata."""

from app.models.audit import AccessEvent
from app.models.checkins import (
    Alert,
    AlertReason,
    CheckIn,
    CheckInCoping,
    CheckInEmotion,
    CheckInSettings,
    Helped,
)
from app.models.consent import (
    Consent,
    ConsentSignature,
    DisclosureAudience,
    SafetyDisclosure,
    Scope,
)
from app.models.messaging import Message, Thread, ThreadKind, ThreadRead
from app.models.modules import ModuleAssignment, ModuleProgress
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
from app.models.users import (
    IdempotencyKey,
    LoginFailure,
    PasswordResetToken,
    RecoveryCode,
    User,
    UserSession,
)

__all__ = [
    "AccessEvent",
    "Alert",
    "AlertReason",
    "CheckIn",
    "CheckInCoping",
    "CheckInEmotion",
    "CheckInSettings",
    "Helped",
    "Consent",
    "ConsentSignature",
    "DisclosureAudience",
    "SafetyDisclosure",
    "Scope",
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
    "Message",
    "ModuleAssignment",
    "ModuleProgress",
    "OrgKind",
    "Organization",
    "OutboxMessage",
    "OutboxStatus",
    "PasswordResetToken",
    "IdempotencyKey",
    "LoginFailure",
    "RecoveryCode",
    "PracticeStaff",
    "Role",
    "TeamStatus",
    "Thread",
    "ThreadKind",
    "ThreadRead",
    "User",
    "UserSession",
]
