"""Rate-limit keys and limits for starting a questionnaire and for carrying on with a
save-and-return code (the views' decorators)."""

from __future__ import annotations

import ipaddress
import time

from flask import Response, abort, g, make_response, render_template, request
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address

from .saving import WRONG_CODE
from .services import hourly_starts

#: Codes that did not work, from one address: a code of 8 from 27 signs cannot be found by
#: guessing at this rate. Codes that worked are not counted: a class or a children's home
#: behind one address carries on with its real codes however many there are.
WRONG_CODES = "10/minute;50/hour"


def wrong_code(response: Response) -> bool:
    """Whether this try at a code counts against the address: only a code that did not
    work does (``saving.resume`` marks it)."""
    return bool(g.get(WRONG_CODE))


def too_many_wrong_codes(limit: RequestLimit) -> None:
    """The code page again, saying why it waits in words true on a shared network (a
    school's or a home's wifi), not "your device"; Retry-After says for how long.

    Raised rather than returned: the application's 429 page (survey/errors.py) would
    otherwise be shown in its place. Should the limiter swallow the error instead, that
    page is what the person sees."""
    seconds = max(1, int(limit.reset_at - time.time()))
    page = render_template("pages/respond/resume.html", code_error=False, too_many=True)
    abort(make_response(page, 429, {"Retry-After": str(seconds)}))


def starts_per_address() -> str:
    """The rate limit on one address's starts of one campaign: half its hourly ceiling."""
    return f"{max(1, hourly_starts() // 2)}/hour"


def address_and_slug() -> str:
    """The rate-limit key for starts: the address and the campaign, so a school's starts of
    one survey do not use up its starts of another. An IPv6 address counts by its /64: one
    household, phone or server holds a whole /64."""
    address = get_remote_address()
    try:
        if ipaddress.ip_address(address).version == 6:
            address = str(ipaddress.ip_network(f"{address}/64", strict=False))
    except ValueError:
        pass  # not an address (a test client's name): counted as it is
    return f"{address}|{(request.view_args or {}).get('slug', '')}"
