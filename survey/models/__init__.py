"""SQLAlchemy 2.0 models, one module per capability."""

from .accounts import PasswordLink
from .base import Base, UTCDateTime, utcnow
from .campaign import Campaign, CampaignStatus, Invitation
from .distribution import CampaignLink, ConferenceType, LinkKind
from .response import Answer, Draft, Response
from .staff import ROLE_LABELS, AuditEvent, Role, User

__all__ = [
    "ROLE_LABELS",
    "Answer",
    "AuditEvent",
    "Base",
    "Campaign",
    "CampaignLink",
    "CampaignStatus",
    "ConferenceType",
    "Draft",
    "Invitation",
    "LinkKind",
    "PasswordLink",
    "Response",
    "Role",
    "UTCDateTime",
    "User",
    "utcnow",
]
