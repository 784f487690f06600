"""SQLAlchemy 2.0 models, one module per capability."""

from .base import Base, UTCDateTime, utcnow
from .campaign import Campaign, CampaignStatus, Invitation
from .response import Answer, Draft, Response
from .staff import ROLE_LABELS, AuditEvent, Role, User

__all__ = [
    "ROLE_LABELS",
    "Answer",
    "AuditEvent",
    "Base",
    "Campaign",
    "CampaignStatus",
    "Draft",
    "Invitation",
    "Response",
    "Role",
    "UTCDateTime",
    "User",
    "utcnow",
]
