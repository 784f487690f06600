"""Flask-free questionnaire core: the types, loading and checking, and routing."""

from .loader import QuestionnaireError, build, load_directory, load_file
from .model import ANSWER_TYPES, Condition, Option, Page, Question, Questionnaire

__all__ = [
    "ANSWER_TYPES",
    "Condition",
    "Option",
    "Page",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "build",
    "load_directory",
    "load_file",
]
