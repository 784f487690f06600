"""SQLAlchemy 2.0 models, one module per capability."""

from .accounts import PasswordLink
from .actions import Action, ActionSource, ActionStatus, Rag
from .alerts import Alert
from .base import Base, UTCDateTime, utcnow
from .campaign import Campaign, CampaignStatus, Invitation, ManagedChoice
from .complaints import (
    Channel,
    Complainant,
    ComplainantRole,
    Complaint,
    ComplaintEvent,
    ComplaintPoint,
    ComplaintStage,
    ComplaintStatus,
    Compliment,
    ComplimentShare,
    FeedbackKind,
    Outcome,
)
from .distribution import CampaignLink, ConferenceType, LinkKind
from .insights import (
    FLAG_OUTCOMES,
    AnswerInsight,
    CustomTheme,
    InsightCorrection,
    Publication,
    SafeguardingFlag,
    TopicDecision,
    TrainingRun,
)
from .invitees import InvitationMessage, Invitee, LoopContact
from .response import Answer, Draft, Response
from .staff import (
    ROLE_LABELS,
    AuditEvent,
    RecoveryCode,
    Role,
    RoleGrant,
    Setting,
    SignInFailure,
    StaffSession,
    User,
)

__all__ = [
    "FLAG_OUTCOMES",
    "Alert",
    "ROLE_LABELS",
    "RecoveryCode",
    "RoleGrant",
    "Setting",
    "Action",
    "ActionSource",
    "ActionStatus",
    "Answer",
    "AnswerInsight",
    "AuditEvent",
    "Base",
    "Campaign",
    "CampaignLink",
    "CampaignStatus",
    "Channel",
    "Complainant",
    "ComplainantRole",
    "Complaint",
    "ComplaintEvent",
    "ComplaintPoint",
    "ComplaintStage",
    "ComplaintStatus",
    "Compliment",
    "ComplimentShare",
    "ConferenceType",
    "CustomTheme",
    "Draft",
    "FeedbackKind",
    "InsightCorrection",
    "Invitation",
    "InvitationMessage",
    "Invitee",
    "LinkKind",
    "LoopContact",
    "ManagedChoice",
    "Outcome",
    "PasswordLink",
    "Publication",
    "Rag",
    "Response",
    "Role",
    "SafeguardingFlag",
    "SignInFailure",
    "StaffSession",
    "TopicDecision",
    "TrainingRun",
    "UTCDateTime",
    "User",
    "utcnow",
]
