"""The theme model in use: the shipped rules plus custom themes, or the latest retrain."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import CustomTheme, TrainingRun


def theme_model():  # type: ignore[no-untyped-def]
    """None (the engine's default) unless the QA group added themes or retrained.

    The latest retrain wins unless a theme was added after it (a retrain knows only the
    themes that existed when it ran); then the rules, with the new theme, are used.
    """
    # One round trip for the usual answer (no retrain, no custom theme).
    found = db.session.execute(
        select(func.max(CustomTheme.created_at), select(func.max(TrainingRun.id)).scalar_subquery())
    ).one()
    newest_theme: datetime | None = found[0]
    latest_id: int | None = found[1]
    if latest_id is None and newest_theme is None:
        return None
    latest = db.session.get(TrainingRun, latest_id) if latest_id is not None else None
    trained_since = latest is not None and (
        newest_theme is None or newest_theme <= latest.trained_at
    )
    if latest is not None and trained_since and latest.path and Path(latest.path).exists():
        return _load(latest.path)
    custom = db.session.execute(
        select(CustomTheme.theme_id, CustomTheme.name, CustomTheme.keywords).order_by(
            CustomTheme.id
        )
    ).all()
    if not custom:
        return None
    return _with_custom(tuple((t, n, tuple(k)) for t, n, k in custom))


@lru_cache(maxsize=4)
def _load(path: str):  # type: ignore[no-untyped-def]
    from analysis.themes import ThemeModel

    return ThemeModel.load(path)


@lru_cache(maxsize=4)
def _with_custom(custom: tuple[tuple[str, str, tuple[str, ...]], ...]):  # type: ignore[no-untyped-def]
    from analysis.taxonomy import load_taxonomy
    from analysis.themes import ThemeModel
    from analysis.types import Theme

    extra = tuple(Theme(id=t, name=n, description="", keywords=k) for t, n, k in custom)
    return ThemeModel(taxonomy=(*load_taxonomy(), *extra))


def taxonomy_with_custom() -> dict[str, str]:
    """Theme id -> name for every theme that exists now (shipped and custom)."""
    from survey.complaints.learning import theme_names

    names = dict(theme_names())
    for theme_id, name in db.session.execute(select(CustomTheme.theme_id, CustomTheme.name)):
        names[theme_id] = name
    return names
