"""Office hours and who is told: the council's hours, Monday to Friday, not bank holidays.

Outside them (evenings, weekends, bank holidays in England) a new possible-current-risk
flag also goes to the Emergency Duty Team (HEARD_OUT_OF_HOURS_ALERT).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

from survey.complaints.procedure import is_working_day
from survey.dates import LONDON

from .channels import channel_of


class SettingError(ValueError):
    pass


def office_hours(config: Mapping[str, Any]) -> tuple[time, time]:
    """HEARD_OFFICE_HOURS ("09:00-17:00") as (start, end)."""
    raw = str(config.get("OFFICE_HOURS") or "09:00-17:00")
    try:
        start, end = (time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError as error:
        raise SettingError(f"HEARD_OFFICE_HOURS must look like 09:00-17:00, not {raw!r}") from error
    if not start < end:
        raise SettingError(f"HEARD_OFFICE_HOURS must start before it ends: {raw!r}")
    return start, end


def in_office_hours(moment: datetime, config: Mapping[str, Any]) -> bool:
    local = moment.astimezone(LONDON)
    start, end = office_hours(config)
    return is_working_day(local.date()) and start <= local.time() < end


def out_of_hours_recipients(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(channel, recipient) for each address or number in HEARD_OUT_OF_HOURS_ALERT."""
    found = []
    for part in str(config.get("OUT_OF_HOURS_ALERT") or "").split(","):
        value = part.strip()
        if not value:
            continue
        channel = channel_of(value)
        if channel is None:
            raise SettingError(
                f"HEARD_OUT_OF_HOURS_ALERT holds {value!r}: neither an email nor a mobile number"
            )
        found.append((channel, "".join(value.split()) if channel == "sms" else value))
    return found
