"""Rate-limit keys and limits for starting a questionnaire (the views' decorators)."""

from __future__ import annotations

import ipaddress

from flask import request
from flask_limiter.util import get_remote_address

from .services import hourly_starts


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
