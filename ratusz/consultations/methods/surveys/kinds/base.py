"""What every kind of survey question can do, with the behaviour most kinds share.

A kind is one class: its field in the residents' form, how the answer is checked and stored,
what the editor asks about it, which answers skip rules can test, how results count it and how
exports write it. Forms, selectors, results and exports ask the kind; none of them switches
on the kind's name (see `registry`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ratusz.consultations.core.charts import Chart
from ratusz.consultations.core.translation import translated
from ratusz.consultations.methods.surveys.models import Question

if TYPE_CHECKING:
    from ratusz.consultations.methods.surveys.forms.answering import AnswerForm
    from ratusz.consultations.methods.surveys.forms.editor import QuestionForm


@dataclass
class AreaAnswer:
    """One area answered, as staff see it: its points and where it is on OpenStreetMap."""

    points: list[list[float]]
    centre: tuple[float, float]

    @property
    def map_url(self) -> str:
        lat, lon = self.centre
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"

    @property
    def coordinates(self) -> str:
        return "; ".join(f"{lat}, {lon}" for lat, lon in self.points)


@dataclass
class QuestionResult:
    """What residents answered to one question; each kind fills the parts it has (the results
    templates show whatever is there)."""

    question: Question
    text: str
    answered: int
    chart: Chart | None = None
    # Rows of a data table: (label, count, percentage text).
    table: list[tuple[str, int, str]] = field(default_factory=list)
    matrix_columns: list[str] = field(default_factory=list)
    matrix_rows: list[tuple[str, list[int]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    summary: list[tuple[str, str]] = field(default_factory=list)
    points: list[tuple[float, float]] = field(default_factory=list)
    areas: list[AreaAnswer] = field(default_factory=list)
    files: list[tuple[int, str]] = field(default_factory=list)


def labelled_options(items: list[dict[str, Any]], language: str) -> list[tuple[str, str]]:
    """Configured items ({"key", "label": {lang: text}}) as (key, label in `language`)."""
    return [(i["key"], translated(i.get("label"), language) or i["key"]) for i in items]


def choice_label(options: list[dict[str, Any]], key: str, language: str) -> str:
    for option in options:
        if option.get("key") == key:
            return translated(option.get("label"), language) or key
    return key


class Kind:
    """A kind of question. Subclass it, set `key` and `label`, override what differs and
    register the class (`registry.register`); the defaults are those of a free-text answer."""

    key: ClassVar[str]
    label: ClassVar[str | Promise]
    # The residents' form shows one input with its own <label> (True), or a fieldset whose
    # inputs `template` draws (the question's text is then the legend).
    single_input: ClassVar[bool] = True
    template: ClassVar[str] = ""
    # Skip rules can test its answers (a value out of `branching_values`).
    branching: ClassVar[bool] = False
    # Its answers are uploaded files: the page is sent as multipart, and deleting an account
    # forgets these answers with the files.
    takes_files: ClassVar[bool] = False
    missing: ClassVar[str | Promise] = gettext_lazy("Answer this question.")

    # --- the editor --------------------------------------------------------------------------

    def add_settings(self, form: QuestionForm) -> None:
        """Add the fields the editor asks for this kind (stored in `question.config`)."""

    def load_settings(self, form: QuestionForm, config: dict[str, Any]) -> None:
        """Show a stored `config` in the editor: a value in its field, a list of items one
        label a line per language, texts per language in their fields."""
        for name, value in config.items():
            if name in form.fields:
                form.initial[name] = value
            elif f"{name}_{form.default_language}" not in form.fields:
                continue
            elif isinstance(value, list):
                for code in form.languages:
                    form.initial[f"{name}_{code}"] = "\n".join(
                        item.get("label", {}).get(code, "") for item in value
                    )
            elif isinstance(value, dict):
                form.set_texts(name, value)

    def clean_settings(self, form: QuestionForm, data: dict[str, Any]) -> dict[str, Any]:
        """The question's `config` from the editor's cleaned data (errors go on `form`)."""
        return {}

    def problems(self, question: Question, name: str) -> list[str]:
        """What keeps residents from answering this question, said to staff."""
        return []

    # --- skip rules ----------------------------------------------------------------------------

    def branching_values(self, question: Question, language: str) -> list[tuple[str, str]]:
        """The values a skip rule may test, as (value, label)."""
        return []

    def value_label(self, question: Question, value: str, language: str) -> str:
        """How a rule's value reads ("Yes", "4"...)."""
        return value

    def matches(self, answer: Any, value: str) -> bool:
        """Whether a stored answer (never None) is the value a skip rule tests."""
        return str(answer) == value

    # --- answering -------------------------------------------------------------------------------

    def add_fields(self, form: AnswerForm, question: Question, name: str, saved: Any) -> None:
        """Add the question's field(s) to the page's form, named `name` or `name_<part>`, with
        the answer saved earlier as their initial value."""
        form.fields[name] = forms.CharField(
            label=form.label_of(question), required=False, max_length=500
        )
        form.initial[name] = saved

    def describe(self, form: AnswerForm, question: Question) -> dict[str, Any]:
        """What the kind's template needs beyond the fields (merged into the item)."""
        return {}

    def assemble(self, form: AnswerForm, question: Question, data: dict[str, Any]) -> Any:
        """The answer to store from the cleaned fields; empty (None, "", [], {}) when not
        answered. Raises forms.ValidationError with what is wrong."""
        return (data.get(f"q{question.pk}") or "").strip()

    def missing_message(self, question: Question) -> str:
        return str(self.missing)

    def stored_problem(self, value: Any) -> str | None:
        """Why a non-empty answer given to the service cannot be stored (None: it can). The
        form says what is wrong in words; this keeps any other caller from storing a shape
        that results and exports cannot read."""
        return None

    # --- results and exports ---------------------------------------------------------------

    def tally(
        self, result: QuestionResult, given: list[Any], language: str, *, staff: bool
    ) -> None:
        """Fill `result` from the answers given (never None)."""
        result.texts = [str(v) for v in given]

    def answer_text(self, question: Question, value: Any, language: str) -> str:
        """A stored answer (never None) as one line of text."""
        return str(value)

    def export_columns(self, question: Question, language: str) -> list[tuple[str, str | None]]:
        """The question's column(s) in a survey's table: (heading, part of the answer or
        None for the whole answer)."""
        text = translated(question.text, language) or str(question.pk)
        return [(text, None)]

    def export_cell(self, question: Question, value: Any, part: str, language: str) -> str:
        """The cell of the column for `part` (see `export_columns`)."""
        return ""


def checked_range(form: QuestionForm, data: dict[str, Any]) -> tuple[Any, Any]:
    """The smallest and largest values the editor was given, an error on `form` when they
    are the wrong way round."""
    low, high = data.get("min"), data.get("max")
    if low is not None and high is not None and low >= high:
        form.add_error("max", _("The largest value must be bigger than the smallest."))
    return low, high


def percent(count: int, total: int) -> str:
    return f"{(100 * count / total):.0f}%" if total else "0%"


def counted(
    title: str, counts: Counter[str], options: list[tuple[str, str]], base: int, key: str
) -> tuple[Chart, list[tuple[str, int, str]]]:
    """A bar chart and a table of how often each option was chosen."""
    labels = [label for _value, label in options]
    values = [float(counts.get(value, 0)) for value, _label in options]
    chart = Chart(
        key=key,
        title=title,
        label_heading=_("Answer"),
        value_heading=_("Answers"),
        labels=labels,
        values=values,
        kind="hbar",
    )
    table = [
        (label, counts.get(value, 0), percent(counts.get(value, 0), base))
        for value, label in options
    ]
    return chart, table
