"""The kinds of survey question, one class each, in a registry (see `registry`).

Importing this package registers the kinds Ratusz ships, in the order the editor lists them.
"""

# The editor lists the kinds in the order they are registered, so in this order.
# isort: off
from ratusz.consultations.methods.surveys.kinds import text
from ratusz.consultations.methods.surveys.kinds import choice
from ratusz.consultations.methods.surveys.kinds import scale
from ratusz.consultations.methods.surveys.kinds import matrix
from ratusz.consultations.methods.surveys.kinds import numbers
from ratusz.consultations.methods.surveys.kinds import place
from ratusz.consultations.methods.surveys.kinds import file

# isort: on
from ratusz.consultations.methods.surveys.kinds.base import Kind, QuestionResult
from ratusz.consultations.methods.surveys.kinds.registry import (
    all_kinds,
    get_kind,
    kind_choices,
    kind_of,
    register,
    unregister,
)

__all__ = [
    "Kind",
    "QuestionResult",
    "all_kinds",
    "choice",
    "file",
    "get_kind",
    "kind_choices",
    "kind_of",
    "matrix",
    "numbers",
    "place",
    "register",
    "scale",
    "text",
    "unregister",
]
