"""Themes in words an 8-year-old can read, for "you said, we did" pages and posters.

The QA group's names ("Communication and keeping in touch") are for staff. Each shipped
theme has a child-friendly line here, translated with the interface; a theme without one
(a custom theme, or one since removed) falls back to its own name, then to its id.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHILD_WORDS = {
    "communication": _l("Hearing back from your worker"),
    "timeliness": _l("Things taking too long"),
    "listening": _l("Being listened to"),
    "roles": _l("Knowing who does what"),
    "worker_changes": _l("Changing workers"),
    "family_contact": _l("Seeing your family"),
    "home_placement": _l("Where you live"),
    "safety": _l("Feeling safe"),
    "education": _l("School"),
    "health_wellbeing": _l("Feeling well"),
    "rights_advocacy": _l("Your rights and having someone on your side"),
    "money_housing": _l("Money and somewhere to live"),
    "meetings": _l("Meetings about you"),
    "respect_sensitivity": _l("Being treated with respect"),
    "activities": _l("Things to do"),
    "independence": _l("Getting ready to live on your own"),
}


def child_words(theme_id: str, names: dict[str, str]) -> str:
    if theme_id in CHILD_WORDS:
        return str(CHILD_WORDS[theme_id])
    return names.get(theme_id) or theme_id.replace("_", " ").capitalize()
