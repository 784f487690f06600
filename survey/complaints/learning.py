"""Learning from complaints: the analysis engine's themes, and the facets the QA group tracks.

The engine only suggests: staff see its themes beside the complaint and correct them, and the
report counts the corrected ones. If the engine cannot run, a complaint simply starts with
no themes; intake must never fail because analysis did.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

# The facets the QA group asked for. Two are facts of the record (who complained, how many
# teams), so intake suggests them; "no fault but learning" needs the findings; "concerns not
# taken seriously" is suggested from the words and confirmed by staff.
FACETS = {
    "extended-family": _l("Complaint from an extended family member"),
    "several-teams": _l("Several teams involved"),
    "no-fault-learning": _l("No fault found, but learning identified"),
    "concerns-not-taken-seriously": _l("Concerns not taken seriously"),
}

_NOT_SERIOUS = re.compile(
    r"not (taken|take|taking) (me|us|it|my concerns?|our concerns?|this)? ?seriously"
    r"|(ignored|dismissed|brushed off|fobbed off|didn't listen|did not listen|nobody listened"
    r"|no one listened|didn't believe|did not believe)",
    re.IGNORECASE,
)
_NOT_A_TEAM = {"not-sure", ""}

# Used only when the analysis engine's taxonomy cannot be loaded: the QA group's own four.
_FALLBACK_THEMES = (
    ("communication", "Communication and keeping in touch"),
    ("roles", "Knowing who does what"),
    ("family_contact", "Involving the family"),
    ("listening", "Being listened to and involved"),
)


@lru_cache(maxsize=1)
def theme_names() -> dict[str, str]:
    """Theme id -> name, from the analysis engine's taxonomy."""
    try:
        from analysis.taxonomy import load_taxonomy

        return {theme.id: theme.name for theme in load_taxonomy()}
    except Exception:  # noqa: BLE001 - the engine is optional for intake
        log.warning("analysis taxonomy unavailable; using the QA group's four themes")
        return dict(_FALLBACK_THEMES)


def suggest_themes(text: str) -> list[str]:
    """The engine's themes for one complaint's words (``analysis.analyse``), or none."""
    if not text.strip():
        return []
    try:
        from analysis import analyse

        insight = analyse([text])[0]
    except Exception:  # noqa: BLE001 - see the module docstring
        log.warning("analysis engine unavailable; complaint left without suggested themes")
        return []
    known = theme_names()
    return [theme for theme in insight.themes if theme in known]


def suggest_facets(role: str, teams: Sequence[str], themes: Sequence[str], text: str) -> list[str]:
    facets = []
    if role == "extended-family":
        facets.append("extended-family")
    if len([t for t in teams if t not in _NOT_A_TEAM]) > 1:
        facets.append("several-teams")
    if _NOT_SERIOUS.search(text):
        facets.append("concerns-not-taken-seriously")
    return facets
