"""Choices shown on the complaints pages, in plain words; values match the front door."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLES = {
    "child-young-person": _l("Child or young person (including a care leaver)"),
    "parent": _l("Parent"),
    "extended-family": _l("Extended family member, such as a grandparent, aunt or uncle"),
    "carer": _l("Foster carer or another carer"),
    "professional": _l("Professional"),
    "advocate": _l("Advocate speaking for a child or young person"),
    "other": _l("Someone else"),
}

CHANNELS = {
    "online": _l("Online form"),
    "phone": _l("Phone call"),
    "letter": _l("Letter"),
    "email": _l("Email"),
    "in-person": _l("In person"),
    "advocate": _l("Through an advocate"),
}

TEAMS = {
    "front-door-assessment": _l("Front door or assessment"),
    "child-protection": _l("Child protection"),
    "children-in-care": _l("Children in care"),
    "care-leavers": _l("Leaving care"),
    "fostering": _l("Fostering"),
    "adoption": _l("Adoption"),
    "disabled-children": _l("Disabled children"),
    "early-help": _l("Early help and family support"),
    "other": _l("Another team"),
    "not-sure": _l("Not known"),
}

CONTACT_HOW = {
    "email": _l("By email"),
    "phone": _l("By phone"),
    "post": _l("By post"),
    "anonymous": _l("Anonymous: no reply possible"),
}

ADVOCATE = {
    "yes": _l("Yes, an advocate is wanted"),
    "already-have": _l("There is already an advocate"),
    "no": _l("No, not wanted"),
    "not-sure": _l("Not sure yet: tell them more"),
    "not-for-child": _l("Not by or for a child"),
}

OUTCOMES = {
    "upheld": _l("Upheld"),
    "partly-upheld": _l("Partly upheld"),
    "not-upheld": _l("Not upheld"),
}

CATEGORIES = {
    "": _l("Children's social care"),
    "child-protection-conference": _l(
        "A child protection conference (handled outside this procedure)"
    ),
}

STATUSES = {
    "open": _l("Open"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
    "outside-procedure": _l("Handled outside the procedure"),
}

EVENTS = {
    "received": _l("Received"),
    "acknowledgement": _l("Acknowledged"),
    "responded": _l("Response sent"),
    "panel": _l("Review panel met"),
    "report": _l("Panel report received"),
    "extension": _l("Deadline extended"),
    "escalated": _l("Escalated"),
    "letter": _l("Letter sent"),
    "outcome": _l("Finding recorded"),
    "owner": _l("Case owner named"),
    "advocate-arranged": _l("Advocate arranged"),
    "learning": _l("Learning recorded"),
    "people": _l("Investigator and independent person recorded"),
    "procedure-changed": _l("Procedure changed"),
    "outside-procedure": _l("Routed outside the statutory procedure"),
    "closed": _l("Closed"),
    "withdrawn": _l("Withdrawn"),
}

STATES = {
    "on-time": _l("Done on time"),
    "in-extension": _l("Done within the agreed extension"),
    "late": _l("Done late"),
    "open": _l("Due"),
    "overdue": _l("Overdue"),
}
