"""Theme taxonomies as data, and the phrase rules that tag comments before any labels exist.

The default taxonomy (``data/themes.yaml``) starts from the learning themes a council QA
group already uses. A service can load its own file with the same shape; ids are stable
because stored insights and actions point at them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from analysis.text import normalise
from analysis.types import Theme

_GROUP = re.compile(r"\((?!\?)")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _theme(entry: dict[str, Any]) -> Theme:
    theme_id = str(entry["id"])
    if not _ID.match(theme_id):
        raise ValueError(f"theme id {theme_id!r} must be lower case letters, digits and _")
    return Theme(
        id=theme_id,
        name=str(entry["name"]),
        description=str(entry.get("description", "")),
        phrases=tuple(str(p) for p in entry.get("phrases", ())),
        keywords=tuple(str(k) for k in entry.get("keywords", ())),
    )


def parse_taxonomy(data: dict[str, Any]) -> tuple[Theme, ...]:
    """Check and convert a parsed taxonomy document; ids must be unique."""
    themes = tuple(_theme(e) for e in data["themes"])
    ids = [t.id for t in themes]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate theme ids: {dupes}")
    for theme in themes:
        for keyword in theme.keywords:
            re.compile(keyword)
    return themes


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> tuple[Theme, ...]:
    if path is None:
        text = resources.files("analysis").joinpath("data/themes.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return parse_taxonomy(yaml.safe_load(text))


def load_taxonomy(path: str | Path | None = None) -> tuple[Theme, ...]:
    """The default children's services taxonomy, or a service's own YAML file."""
    return _load_cached(None if path is None else str(path))


class PhraseMatcher:
    """Tags comments with every theme whose keywords or example phrases occur in them."""

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.ids = tuple(t.id for t in themes)
        self._patterns = [self._compile(t) for t in themes]

    @staticmethod
    def _compile(theme: Theme) -> re.Pattern[str]:
        parts = [_GROUP.sub("(?:", k) for k in theme.keywords]
        parts += [re.escape(normalise(p)) for p in theme.phrases]
        body = "|".join(f"(?:{p})" for p in parts) or "(?!)"
        return re.compile(rf"\b(?:{body})\b")

    def hits(self, text: str) -> list[bool]:
        """One flag per theme, in taxonomy order, for an already normalised text."""
        return [p.search(text) is not None for p in self._patterns]

    def match(self, text: str) -> list[str]:
        norm = normalise(text)
        return [tid for tid, hit in zip(self.ids, self.hits(norm), strict=True) if hit]
