"""Staff forms for complaints and compliments. Messages say how to fix the answer."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from survey.dates import today
from survey.forms.staff import DayField, StaffForm, WholeNumber, choices

from . import labels
from .learning import FACETS


def not_in_future(form: Any, field: Any) -> None:
    if field.data and field.data > today():
        raise ValidationError(_l("Enter a date that is today or in the past"))


def plausible_email(form: Any, field: Any) -> None:
    value = (field.data or "").strip()
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValidationError(
            _l("Enter an email address in the correct format, like name@example.org")
        )


def required_date(message: Any) -> list[Any]:
    return [InputRequired(message), not_in_future]


def required_if(test: Any, message: Any) -> Any:
    """Required when ``test(form)`` is true, else optional (empty stops the other checks)."""

    def check(form: Any, field: Any) -> None:
        empty = not field.raw_data or not str(field.raw_data[0]).strip()
        if not empty:
            return
        field.errors[:] = []
        if test(form):
            raise StopValidation(message)
        raise StopValidation()

    return check


def _contact(how: str) -> Any:
    return lambda form: form.contact_how.data == how


def _for_child(form: Any) -> bool:
    return bool(form.for_child.data) or form.role.data in ("child-young-person", "advocate")


class PersonFields(StaffForm):
    role = RadioField(
        _l("Who is it from?"),
        choices=choices(labels.ROLES),
        validators=[InputRequired(_l("Choose who it is from"))],
    )
    name = StringField(_l("Their name"), validators=[Optional(), Length(max=200)])
    email = StringField(
        _l("Email address"),
        validators=[
            required_if(
                _contact("email"),
                _l("Enter their email address, or choose another way to contact them"),
            ),
            Length(max=254),
            plausible_email,
        ],
    )
    phone = StringField(
        _l("Phone number"),
        validators=[
            required_if(
                _contact("phone"),
                _l("Enter their phone number, or choose another way to contact them"),
            ),
            Length(max=100),
        ],
    )
    address = TextAreaField(
        _l("Postal address"),
        validators=[
            required_if(
                _contact("post"),
                _l("Enter their postal address, or choose another way to contact them"),
            ),
            Length(max=300),
        ],
    )
    contact_how = RadioField(
        _l("How should we contact them?"),
        choices=choices(labels.CONTACT_HOW),
        default="anonymous",
        validators=[InputRequired(_l("Choose how to contact them"))],
    )
    teams = SelectMultipleField(
        _l("Which team or teams is it about?"),
        choices=choices(labels.TEAMS),
        validators=[Optional()],
    )


class ComplaintForm(PersonFields):
    channel = RadioField(
        _l("How did the complaint arrive?"),
        choices=choices(labels.CHANNELS),
        validators=[InputRequired(_l("Choose how the complaint arrived"))],
    )
    received_on = DayField(
        _l("Date received"),
        description=_l(
            "The day it arrived, even on a weekend or bank holiday. Heard works out the deadlines."
        ),
        validators=required_date(_l("Enter the date the complaint was received")),
    )
    procedure_id = RadioField(
        _l("Which procedure?"),
        choices=choices(
            [
                ("children-act-1989", _l("Children's social care: the statutory procedure")),
                ("lgsco-corporate", _l("Corporate complaints procedure (no statutory procedure)")),
            ]
        ),
        default="children-act-1989",
        validators=[InputRequired(_l("Choose the procedure"))],
    )
    category = RadioField(
        _l("What is it about?"),
        choices=choices(labels.CATEGORIES),
        default="",
        validators=[Optional()],
    )
    events_on = DayField(
        _l("When did it happen? (optional)"),
        description=_l(
            "If it went on for a while, the date it started. A complaint more than a year after "
            "the events is flagged, not refused."
        ),
        validators=[Optional(), not_in_future],
    )
    summary = TextAreaField(
        _l("What happened?"), validators=[DataRequired(_l("Enter what happened")), Length(max=5000)]
    )
    outcome_wanted = TextAreaField(
        _l("What outcome do they want?"), validators=[Optional(), Length(max=2000)]
    )
    points = TextAreaField(
        _l("Points of complaint (optional)"),
        description=_l("One point on each line. Each point gets its own finding."),
        validators=[Optional(), Length(max=3000)],
    )
    for_child = BooleanField(_l("The complaint is by or for a child or young person"))
    child_name = StringField(
        _l("The child's name (if someone is complaining for them)"),
        validators=[Optional(), Length(max=200)],
    )
    advocate_wanted = RadioField(
        _l("Advocate"),
        description=_l(
            "Children and young people can have a free advocate. "
            "Record what they said when offered."
        ),
        choices=choices(labels.ADVOCATE),
        validators=[required_if(_for_child, _l("Offer an advocate and record the answer"))],
    )
    advocate_name = StringField(
        _l("Advocate's name and organisation"),
        validators=[
            required_if(
                lambda form: form.channel.data == "advocate",
                _l("Enter the advocate's name, as the complaint came through them"),
            ),
            Length(max=200),
        ],
    )

    def validate_events_on(self, field: Any) -> None:
        if field.data and self.received_on.data and field.data > self.received_on.data:
            raise ValidationError(_l("Enter a date on or before the date it was received"))


class ComplimentForm(PersonFields):
    kind = RadioField(
        _l("Compliment or comment?"),
        choices=choices([("compliment", _l("A compliment")), ("comment", _l("A comment or idea"))]),
        default="compliment",
        validators=[InputRequired(_l("Choose compliment or comment"))],
    )
    channel = RadioField(
        _l("How did it arrive?"),
        choices=choices(labels.CHANNELS),
        validators=[InputRequired(_l("Choose how it arrived"))],
    )
    received_on = DayField(
        _l("Date received"), validators=required_date(_l("Enter the date it was received"))
    )
    worker_name = StringField(_l("Worker named (if any)"), validators=[Optional(), Length(max=200)])
    manager_name = StringField(_l("Their manager"), validators=[Optional(), Length(max=200)])
    words = TextAreaField(
        _l("What they said"),
        validators=[DataRequired(_l("Enter what they said")), Length(max=5000)],
    )


class MilestoneForm(StaffForm):
    milestone = SelectField(
        _l("What happened?"), validators=[DataRequired(_l("Choose what happened"))]
    )
    on = DayField(_l("Date"), validators=required_date(_l("Enter the date it happened")))


class ExtensionForm(StaffForm):
    stage_id = SelectField(_l("Stage"), validators=[DataRequired(_l("Choose the stage"))])
    total_days = WholeNumber(
        _l("Working days in all, with the extension"),
        description=_l("Stage 1 can go to 20 working days, once; stage 2 up to 65."),
        validators=[
            InputRequired(_l("Enter the number of working days in all, for example 20")),
            NumberRange(min=1, max=365, message=_l("Enter a number from 1 to 365")),
        ],
    )
    reason = TextAreaField(
        _l("Why it is extended"),
        validators=[DataRequired(_l("Enter why the deadline is extended")), Length(max=2000)],
    )
    agreed_by = StringField(
        _l("Who agreed it"),
        description=_l("For example the complainant, or their advocate"),
        validators=[DataRequired(_l("Enter who agreed the extension")), Length(max=200)],
    )
    agreed_on = DayField(
        _l("Date agreed"), validators=required_date(_l("Enter the date the extension was agreed"))
    )


class EscalateForm(StaffForm):
    stage_id = SelectField(_l("Move to"), validators=[DataRequired(_l("Choose the stage"))])
    requested_on = DayField(
        _l("Date the complainant asked"), validators=required_date(_l("Enter the date they asked"))
    )
    investigator = StringField(
        _l("Investigating officer (stage 2)"), validators=[Optional(), Length(max=200)]
    )
    independent_person = StringField(
        _l("Independent person (stage 2)"), validators=[Optional(), Length(max=200)]
    )


class PeopleForm(StaffForm):
    investigator = StringField(
        _l("Investigating officer"),
        validators=[DataRequired(_l("Enter the investigating officer's name")), Length(max=200)],
    )
    independent_person = StringField(
        _l("Independent person"),
        validators=[DataRequired(_l("Enter the independent person's name")), Length(max=200)],
    )


class LetterForm(StaffForm):
    on = DayField(
        _l("Date sent"), validators=required_date(_l("Enter the date the letter was sent"))
    )
    detail = StringField(
        _l("What the letter was"),
        description=_l("For example: stage 1 response, holding letter, extension agreed"),
        validators=[DataRequired(_l("Enter what the letter was")), Length(max=500)],
    )


class PointForm(StaffForm):
    summary = TextAreaField(
        _l("Point of complaint"),
        validators=[DataRequired(_l("Enter the point of complaint")), Length(max=2000)],
    )


class LearningForm(StaffForm):
    themes = SelectMultipleField(
        _l("Themes"),
        description=_l(
            "Suggested by the analysis engine. Untick any that are wrong, tick any it missed."
        ),
        validators=[Optional()],
    )
    facets = SelectMultipleField(
        _l("What the QA group tracks"), choices=choices(FACETS), validators=[Optional()]
    )
    learning = TextAreaField(_l("Learning"), validators=[Optional(), Length(max=5000)])


class CloseForm(StaffForm):
    on = DayField(_l("Date closed"), validators=required_date(_l("Enter the date it closed")))
    withdrawn = BooleanField(_l("The complainant withdrew the complaint"))


class ProcedureForm(StaffForm):
    procedure_id = ComplaintForm.procedure_id
    category = ComplaintForm.category


class ShareForm(StaffForm):
    shared_with = StringField(
        _l("Shared with"),
        description=_l(
            "The manager's name and role. Heard does not send it: "
            "pass it on as usual, then record it here."
        ),
        validators=[DataRequired(_l("Enter who it was shared with")), Length(max=200)],
    )
    on = DayField(_l("Date shared"), validators=required_date(_l("Enter the date it was shared")))


def outcome_form(points: list[Any], formdata: Any = None) -> FlaskForm:
    """One choice per point of complaint, built for the complaint in hand."""

    class OutcomeForm(StaffForm):
        on = DayField(
            _l("Date of the finding"), validators=required_date(_l("Enter the date of the finding"))
        )

    for point in points:
        setattr(
            OutcomeForm,
            f"point_{point.id}",
            RadioField(
                _l(
                    "Point %(number)d: %(summary)s",
                    number=point.number,
                    summary=point.summary[:120],
                ),
                choices=choices(labels.OUTCOMES),
                default=point.outcome.value if point.outcome else None,
                validators=[Optional()],
            ),
        )
        setattr(
            OutcomeForm,
            f"reason_{point.id}",
            TextAreaField(
                _l("Point %(number)d: why", number=point.number),
                description=_l("What was found, in words the complainant will read"),
                default=point.reason,
                validators=[Optional(), Length(max=4000)],
            ),
        )
        setattr(
            OutcomeForm,
            f"remedy_{point.id}",
            TextAreaField(
                _l("Point %(number)d: what will put it right", number=point.number),
                description=_l("Needed when the point is upheld in whole or in part"),
                default=point.remedy,
                validators=[Optional(), Length(max=4000)],
            ),
        )
    form = OutcomeForm(formdata=formdata) if formdata is not None else OutcomeForm()
    return form


class OwnerForm(StaffForm):
    owner = SelectField(
        _l("Case owner"),
        description=_l("The complaints officer or administrator who owns it to the end"),
        validators=[InputRequired(_l("Choose who owns the case"))],
    )


class AdvocateForm(StaffForm):
    advocate_name = StringField(
        _l("Advocate"),
        description=_l("Their name and organisation"),
        validators=[DataRequired(_l("Enter the advocate's name")), Length(max=200)],
    )
    on = DayField(
        _l("Date arranged"), validators=required_date(_l("Enter the date it was arranged"))
    )
