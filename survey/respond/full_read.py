"""At "send" with a job queue: the full read, in the request, of the answers it reads
differently from the quick screen, so the thank-you page offers help for what it finds.

Without a job queue a sent response is analysed in the request, and the analysis reads its
answers in full (``deep``), so a disclosure only the full read sees (the encoder alone, on
an English answer of ``ALONE_IN_ENGLISH_MIN_WORDS`` words or more: decision 0016; long
answers read a few sentences at a time: 0019) is flagged before the thank-you page opens,
and that page gives the child who to call now. With a job queue the request runs the quick
screen only (``survey.insights.services.screen_now``) and the full read waited for the job:
the flag came seconds later, and the help box never.

So here, before the job is queued, only those answers are read in full: every other
answer reads the same either way, and a send with none (most sends) costs a word count.
When one is a possible current risk, the response's analysis runs now, as it does without
a queue: the same one flag, the same alerts, raised at once, and the same box. The queued
job then finds the analysis done (it is idempotent) and adds nothing.
"""

from __future__ import annotations

import logging

from survey.extensions import db
from survey.insights.services import Sent

log = logging.getLogger(__name__)


def reads_differently(text: str) -> bool:
    """Whether the full read may flag what the quick screen leaves: English, and long
    enough for the encoder to be asked alone (the conditions of ``analysis.safeguarding``)."""
    from analysis.language import detect
    from analysis.safeguarding import ALONE_IN_ENGLISH_MIN_WORDS

    return len(text.split()) >= ALONE_IN_ENGLISH_MIN_WORDS and detect(text) == "en"


def current_risk_in_full_read(sent: Sent) -> bool:
    """Whether reading the sent answers in full finds a possible current risk the quick
    screen would leave (answers it reads the same are not read again here)."""
    from analysis.engine import screen

    for _question_id, text in sent.texts:
        if not reads_differently(text):
            continue
        flag, _language, _reader = screen(text, deep=True)
        if flag is not None and flag.level == "current":
            return True
    return False


def analyse_now_if_needed(sent: Sent) -> bool:
    """With a job queue, the response's analysis in the request when its full read finds
    a possible current risk; True when it ran. Never raises: the answers are saved, and the
    queued job (or the worker's sweep) analyses them whatever happens here."""
    from survey.jobs import queue_url

    if queue_url() is None:
        return False  # the analysis runs in this request anyway (``response_saved``)
    try:
        if not current_risk_in_full_read(sent):
            return False
        from survey.insights.jobs import analyse_response

        analyse_response(sent.id)
    except Exception:  # noqa: BLE001 - the job queued after this reads it in full too
        db.session.rollback()
        log.exception("full read of response %s at send failed; the job will read it", sent.id)
        return False
    return True
