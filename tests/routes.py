"""A value for each argument of a route, for tests that request every route."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter
from werkzeug.routing.converters import AnyConverter


def path_value(name: str, converter: Any, known: dict[str, Any]) -> Any:
    """``known[name]`` when the route accepts it; else the first value an ``any()`` part
    allows, 1 for a number, or "example"."""
    if isinstance(converter, AnyConverter):
        value = known.get(name)
        return value if value in converter.items else sorted(converter.items)[0]
    if name in known:
        return known[name]
    return 1 if isinstance(converter, IntegerConverter) else "example"
