"""Staff forms. Messages are plain words that say how to fix the answer."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from survey.dates import LONDON
from survey.forms.staff import OptionalChoice, StaffForm, WholeNumber

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: The forums that co-produce "you said, we did" (DESIGN.md, "Who uses it").
FORUMS: tuple[tuple[str, Any], ...] = (
    ("", _l("None chosen yet")),
    ("children-in-care-council", _l("Children in care council")),
    ("care-leavers-forum", _l("Care leavers forum")),
    ("parent-carer-panel", _l("Parent/carer panel")),
    ("school-safeguarding-boards", _l("School safeguarding boards")),
)

COHORT = NumberRange(min=1, max=1_000_000, message=_l("Enter a number of 1 or more"))


#: Short names that are staff pages' own addresses (/staff/campaigns/new): a campaign so
#: named could never be opened by staff.
RESERVED_SLUGS = frozenset({"new"})


class CampaignForm(StaffForm):
    questionnaire = SelectField(
        _l("Questionnaire"), validators=[DataRequired(_l("Choose a questionnaire"))]
    )
    title = StringField(
        _l("Title that people will see"),
        validators=[DataRequired(_l("Enter a title")), Length(max=200)],
    )
    slug = StringField(
        _l("Short name for the link"),
        description=_l("Lower-case letters, numbers and hyphens, for example wellbeing-2026"),
        validators=[DataRequired(_l("Enter a short name for the link")), Length(max=80)],
    )
    audience = StringField(
        _l("Audience"),
        description=_l("For example: children in care 11-17"),
        validators=[Optional(), Length(max=120)],
    )
    team = StringField(
        _l("Team"),
        description=_l("The team whose work this asks about, for example: Leaving care team"),
        validators=[Optional(), Length(max=120)],
    )
    #: {"team": choices or None, "audience": ...} from the managed lists (survey/staff/choices.py)
    managed: dict[str, list[tuple[str, str]] | None] = {}

    def _from_list(self, kind: str, field: Any) -> None:
        allowed = self.managed.get(kind)
        if allowed is not None and (field.data or "") not in {value for value, _ in allowed}:
            raise ValidationError(
                _l("Choose from the list. To add a new one, use 'Teams and audiences'.")
            )

    def validate_team(self, field: Any) -> None:
        self._from_list("team", field)

    def validate_audience(self, field: Any) -> None:
        self._from_list("audience", field)

    opens_at = DateTimeLocalField(
        _l("Opens (UK time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter when the survey opens"))],
    )
    closes_at = DateTimeLocalField(
        _l("Closes (UK time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter when the survey closes"))],
    )
    cohort_size = WholeNumber(
        _l("How many people will be asked"),
        description=_l("Used for the return rate. You can change it later."),
        validators=[Optional(), COHORT],
    )
    anonymous_link = BooleanField(_l("Anyone with the link can answer"), default=True)
    invitations = WholeNumber(
        _l("Personal invitation links to create"),
        description=_l("Each link can be used to answer once. Leave at 0 for none."),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=5000, message=_l("Enter a number from 0 to 5000")),
        ],
    )
    languages = SelectMultipleField(_l("Languages offered"), validators=[OptionalChoice()])
    forum = SelectField(
        _l("Forum that will co-produce the response"),
        choices=[SelectChoice(key, label) for key, label in FORUMS],
        validators=[OptionalChoice()],
    )

    def validate_slug(self, field: Any) -> None:
        if not SLUG.match(field.data or ""):
            raise ValidationError(_l("Use only lower-case letters, numbers and single hyphens"))
        if field.data in RESERVED_SLUGS:
            raise ValidationError(_l("Heard uses that name for a page of its own: choose another"))

    def validate_closes_at(self, field: Any) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing time must be after the opening time"))

    def validate_invitations(self, field: Any) -> None:
        if not self.anonymous_link.data and not field.data:
            raise ValidationError(
                _l("Create at least one personal link, or let anyone with the link answer")
            )

    @staticmethod
    def to_utc(value: datetime) -> datetime:
        return value.replace(tzinfo=LONDON).astimezone(ZoneInfo("UTC"))

    @staticmethod
    def to_local(value: datetime) -> datetime:
        return value.astimezone(LONDON).replace(tzinfo=None)


class EditCampaignForm(CampaignForm):
    """The same questions without the number of links (added on the links page)."""

    def validate_invitations(self, field: Any) -> None:
        return None


class GroupForm(StaffForm):
    label = StringField(
        _l("Name of the group"),
        description=_l("For example: Children in care 11-13"),
        validators=[
            DataRequired(_l("Enter the name of the group, for example Children in care 11-13")),
            Length(max=120, message=_l("Use 120 characters or fewer")),
        ],
    )
    cohort_size = WholeNumber(
        _l("How many people in this group will be asked"), validators=[Optional(), COHORT]
    )


#: A conference link is made around the conference: a date further off is a slip.
CONFERENCE_DAYS = 366


class ConferenceForm(StaffForm):
    held_on = DateField(
        _l("Date of the conference"),
        description=_l("For example 27 3 2026, written as 2026-03-27"),
        validators=[InputRequired(_l("Enter the date of the conference"))],
    )

    def validate_held_on(self, field: Any) -> None:
        today = datetime.now(LONDON).date()
        if field.data is not None and abs((field.data - today).days) > CONFERENCE_DAYS:
            raise ValidationError(_l("Enter a date within a year of today"))

    conference_type = RadioField(
        _l("Type of conference"),
        choices=[
            SelectChoice("icpc", _l("Initial child protection conference (ICPC)")),
            SelectChoice("rcpc", _l("Review child protection conference (RCPC)")),
        ],
        validators=[InputRequired(_l("Choose the type of conference"))],
    )
    chair = StringField(
        _l("Conference chair"),
        description=_l("The chair's name only. Never enter the child's or family's names."),
        validators=[
            DataRequired(_l("Enter the name of the conference chair")),
            Length(max=120, message=_l("Use 120 characters or fewer")),
        ],
    )


class InvitationsForm(StaffForm):
    number = WholeNumber(
        _l("How many new personal links"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=5000, message=_l("Enter a number from 0 to 5000")),
        ],
    )
    group = SelectField(_l("Audience group"), validators=[OptionalChoice()])
    codes = TextAreaField(
        _l("Or use your own codes"),
        description=_l(
            "One code per line, chosen at random: at least 13 letters (A to Z) and numbers "
            "mixed, 14 of letters only or 20 of numbers only, up to 64, hyphens or underscores "
            "allowed; for example from your case management system's mail merge. Capitals "
            "count: ABC and abc are two codes. Leave empty to make random links."
        ),
        validators=[Optional(), Length(max=20_000)],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        if valid and not self.number.data and not (self.codes.data or "").strip():
            self.number.errors = [_l("Enter how many links to create, or paste your own codes")]
            return False
        return valid


class InviteUserForm(StaffForm):
    email = StringField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter their email address")), Length(max=254)],
    )
    name = StringField(
        _l("Full name"), validators=[DataRequired(_l("Enter their name")), Length(max=120)]
    )
    roles = SelectMultipleField(
        _l("Roles"),
        description=_l("Choose every role they hold: a person can hold more than one."),
        validators=[InputRequired(_l("Choose at least one role"))],
    )


class RoleForm(StaffForm):
    roles = SelectMultipleField(
        _l("Roles"),
        description=_l("Choose every role they hold: a person can hold more than one."),
        validators=[InputRequired(_l("Choose at least one role"))],
    )


class AuditFilterForm(StaffForm):
    """Filters travel in the query string, so a filtered view can be bookmarked."""

    class Meta:
        csrf = False

    action = SelectField(_l("What happened"), validators=[OptionalChoice()])
    user = SelectField(_l("Who"), validators=[OptionalChoice()])
    target = StringField(
        _l("Campaign, account or answer reference"), validators=[Optional(), Length(max=120)]
    )
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("To (date)"), validators=[Optional()])

    def validate_date_to(self, field: Any) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The 'to' date must be the same as or after the 'from' date"))
