"""Forms generated from questionnaire data through a registry of answer handlers."""

from .builder import PageForm, page_form
from .handlers import HANDLERS

__all__ = ["HANDLERS", "PageForm", "page_form"]
