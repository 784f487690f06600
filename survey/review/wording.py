"""How the summary and the reports name a day and a questionnaire for a reader.

Dates read as elsewhere in Heard ("7 December 2026", never "2026-12-07"), in a page or a
report file alike. Two questionnaires may share a title ("Your life, your say" for 8 to 11
and for 11 to 17 year olds), so a name carries the age band, and "easy read" for an
easy-read version, as the closed-question sections' headings do.
"""

from __future__ import annotations

from datetime import date

from flask import has_request_context
from flask_babel import gettext as _

from survey.dates import long_date
from survey.library import library


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "extract this, translate later"
    return text


def _say(text: str, **values: str) -> str:
    """``text`` (marked with ``N_``) translated in a request; in English from a command or
    a job, since Flask-Babel chooses the language from the request."""
    return str(_(text, **values)) if has_request_context() else text % values


def date_range(start: date | None, end: date | None) -> str:
    """ "1 October 2026 to 31 December 2026"; an open end reads "from" or "up to"."""
    if start and end:
        return _say(N_("%(start)s to %(end)s"), start=long_date(start), end=long_date(end))
    if start:
        return _say(N_("from %(start)s"), start=long_date(start))
    if end:
        return _say(N_("up to %(end)s"), end=long_date(end))
    return ""


def band_words(band: str, easy_read: bool = False) -> str:
    """ "age 11-17", "age 11-17, easy read", "easy read" or ""."""
    parts = [_say(N_("age %(band)s"), band=band)] if band else []
    if easy_read:
        parts.append(_say(N_("easy read")))
    return ", ".join(parts)


def questionnaire_name(questionnaire_id: str) -> str:
    """ "Your life, your say (age 11-17)": the title with what tells it apart (the id
    itself when the file is gone)."""
    found = library().get(questionnaire_id)
    if found is None:
        return questionnaire_id
    extra = band_words(found.age_band or "", bool(found.easy_read_of))
    return f"{found.title} ({extra})" if extra else found.title


def questionnaire_names(ids: set[str]) -> list[tuple[str, str]]:
    """(id, name) for each questionnaire, by title and then youngest age band first; where
    two names still match, each carries its id too."""
    names = {qid: questionnaire_name(qid) for qid in ids}
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    return [
        (qid, f"{names[qid]} [{qid}]" if seen[names[qid]] > 1 else names[qid])
        for qid in sorted(ids, key=_order)
    ]


def _order(questionnaire_id: str) -> tuple[str, int, bool, str]:
    found = library().get(questionnaire_id)
    if found is None:
        return questionnaire_id, 0, False, questionnaire_id
    band = found.age_band or ""
    youngest = int(band.split("-")[0]) if band[:1].isdigit() else 999
    return found.title, youngest, bool(found.easy_read_of), questionnaire_id
