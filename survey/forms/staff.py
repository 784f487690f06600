"""The base of every staff form: control characters are taken out of what staff type.

A vertical tab or NUL pasted into a theme name or a campaign title is invisible on screen
but breaks the XLSX and Word files made from it later, so it is removed on the way in.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from survey.text import strip_control


class StaffForm(FlaskForm):  # type: ignore[misc]
    class Meta(FlaskForm.Meta):  # type: ignore[misc]
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            data = super().wrap_formdata(form, formdata)
            if data is None or not hasattr(data, "items"):
                return data
            return MultiDict(
                [
                    (key, strip_control(value) if isinstance(value, str) else value)
                    for key, value in data.items(multi=True)
                ]
            )
