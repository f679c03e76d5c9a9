"""Participation methods: one registry that permissions, the back office and the UI ask.

A phase has one method. Each method is a package under ratusz/consultations/methods/<key>/
that declares everything about itself in one manifest (`methods/<key>/manifest.py` defining
`MANIFEST = Method(...)`, registered by the package's `AppConfig.ready()`), so no code outside
the package branches on method names: URL roots, the back office's URLs and navigation, the
beat schedule and the phase editor loop over this registry (ARCHITECTURE.md §4).

Hooks are dotted paths, imported only when used, so the registry (core) never imports a method
and a manifest stays cheap to load: no import cycle can form through it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ratusz.accounts.personal_data import register_personal_data, unregister_personal_data
from ratusz.tenants.entitlements import register_feature, unregister_feature

if TYPE_CHECKING:
    from ratusz.consultations.core.reporting import Dataset, Metric


class Action(StrEnum):
    POST = "post"
    COMMENT = "comment"
    REACT = "react"
    VOTE = "vote"
    ANSWER = "answer"
    ATTEND = "attend"
    VOLUNTEER = "volunteer"


# Verbs that complete "... to %(action)s"; a context tells them from the nouns ("a comment").
ACTION_LABELS: dict[Action, Promise] = {
    Action.POST: pgettext_lazy("action", "post ideas"),
    Action.COMMENT: pgettext_lazy("action", "comment"),
    Action.REACT: pgettext_lazy("action", "react"),
    Action.VOTE: pgettext_lazy("action", "vote"),
    Action.ANSWER: pgettext_lazy("action", "answer"),
    Action.ATTEND: pgettext_lazy("action", "attend"),
    Action.VOLUNTEER: pgettext_lazy("action", "volunteer"),
}


# Who may take an action in a phase (`phase.permissions[action]["who"]`), read by rules.py.
WHO_CHOICES: dict[str, Promise] = {
    "everyone": _("Everyone with an account"),
    "confirmed": _("People who confirmed their e-mail address"),
    "verified": _("Verified residents"),
    "groups": _("Only chosen groups"),
}

# Values of the settings a method may declare in its `default_options`; the back office offers
# a setting only when the phase's method declares it.
REACTION_MODES: dict[str, Promise] = {
    "likes": _("Likes only"),
    "likes_dislikes": _("Likes and dislikes"),
}
IDEA_FIELDS: dict[str, Promise] = {
    "images": _("Photos"),
    "attachments": _("Attachments"),
    "location": _("Place on the map"),
    "topics": _("Topics"),
}
FIELD_RULES: dict[str, Promise] = {
    "off": _("Not asked"),
    "optional": _("Optional"),
    "required": _("Required"),
}


class Capability(StrEnum):
    IDEAS = "ideas"  # the phase collects ideas (lists, idea pages, statuses)
    MAP = "map"  # ideas may carry a location and be shown on a map
    FILES = "files"  # the phase shows documents


@dataclass(frozen=True)
class PortalLink:
    """A link of a city portal's main navigation (a URL name reversed without arguments)."""

    url_name: str
    label: Promise


@dataclass(frozen=True)
class StaffNavEntry:
    """An entry of the back office's navigation (a URL name reversed without arguments)."""

    url_name: str
    label: Promise
    administrators_only: bool = False
    partners: bool = True  # partner consultants see administrators' entries, unless False


@dataclass(frozen=True)
class Method:
    """The manifest of a participation method: everything the rest of Ratusz needs to know."""

    key: str
    label: Promise
    actions: frozenset[Action]
    capabilities: frozenset[Capability]
    # Settings a phase of this method starts with; the back office edits them.
    default_options: dict[str, Any] = field(default_factory=dict)
    # Who may take an action (a WHO_CHOICES key) while staff have not chosen, per action;
    # "everyone" for actions not named. A vote defaults to confirmed e-mail addresses so that
    # one person cannot vote with many made-up accounts unless the city decides so.
    default_who: dict[str, str] = field(default_factory=dict)
    # Extension points, as dotted paths (a method's module is imported only when used):
    # - panel: `(request, phase) -> str`, the HTML residents see on the project page while a
    #   phase of this method is current (the survey form, the ballot, the event list...);
    # - settings_form: a Form class `(data=None, *, phase)` whose `cleaned_data` are the
    #   method's own options, shown in the back office's phase editor;
    # - staff_url_name: the back-office page where staff manage a phase of this method
    #   (results, paper votes, attendance), reversed with the phase's id.
    panel: str = ""
    settings_form: str = ""
    staff_url_name: str = ""
    # The entitlement (ratusz.tenants.entitlements.FEATURES) a city needs to use this method.
    feature: str = ""
    # - results_url_name: the residents' results page of a phase (reversed with its id),
    #   linked from the project's timeline when `results_visible(user, phase)` says so.
    results_url_name: str = ""
    results_visible: str = ""
    # - personal_data: a tuple of ratusz.accounts.personal_data declarations covering every
    #   field of the method's models that refers to an account (what a person's data archive
    #   holds of it, what account deletion does to it); `register` registers them.
    personal_data: str = ""
    # URLs, as dotted paths of URL modules (ratusz/urls_city.py and the back office include
    # them in registry order):
    # - resident_urls: the residents' pages, mounted at `url_prefix` of a city's host ("" at
    #   the root: the module's paths then carry their own prefixes);
    # - staff_urls: the back office's pages, mounted under /admin/ in the "backoffice"
    #   namespace (their names are "backoffice:<name>");
    # - portal_nav: the links this method adds to the portal's main navigation;
    # - staff_nav: the entries this method adds to the back office's navigation.
    url_prefix: str = ""
    resident_urls: str = ""
    portal_nav: tuple[PortalLink, ...] = ()
    staff_urls: str = ""
    staff_nav: tuple[StaffNavEntry, ...] = ()
    # Periodic work: Celery beat entries by name (plain data, no import of the method's
    # modules), merged into the beat schedule by ratusz/celery.py. Each usually fans a task out
    # to every live city: {"task": "tenants.fan_out", "schedule": crontab(...), "args": (...)}.
    periodic_tasks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # The name of the plan feature `feature` (the console, the plans, the city's Features
    # page); `register` adds the feature to those plans and operators switch
    # (ratusz.tenants.entitlements.register_feature). The method's label when empty.
    feature_label: Promise | None = None
    # Data hooks, as dotted paths:
    # - usage_counts: `() -> Mapping[str, int]`, the method's part of the city's usage (keys
    #   of ratusz.consultations.core.usage.COUNTED), read in the city's context;
    # - copy_inputs: `(*, project, copy, phases) -> None`, copies what residents wrote in the
    #   project (phases: old phase id -> its copy) when staff copy it with its inputs, in the
    #   copy's transaction; a method without it copies only its phases and their settings;
    # - metrics / exports: Metric / Dataset declarations (ratusz.consultations.core.reporting)
    #   that the dashboard and the exports of ratusz.consultations.reports show.
    # - seed: `(*, phase, spec, staff, city) -> None`, builds the method's own content of a new
    #   phase (a survey, events) from a city template's phase data `spec` through the method's
    #   services, as staff would (onboarding's city templates, hence the demo cities);
    # - capture: `(*, phase, zone) -> dict`, the inverse: the phase's own content as template
    #   data, merged into the phase's data when a city is saved as a template ({} for none).
    usage_counts: str = ""
    copy_inputs: str = ""
    metrics: tuple[str, ...] = ()
    exports: tuple[str, ...] = ()
    seed: str = ""
    capture: str = ""

    def usage_counter(self) -> Callable[[], Mapping[str, int]] | None:
        return import_string(self.usage_counts) if self.usage_counts else None

    def input_copier(self) -> Callable[..., None] | None:
        return import_string(self.copy_inputs) if self.copy_inputs else None

    def declared_metrics(self) -> list[Metric]:
        return [import_string(path) for path in self.metrics]

    def declared_exports(self) -> list[Dataset]:
        return [import_string(path) for path in self.exports]

    def seeder(self) -> Callable[..., None] | None:
        return import_string(self.seed) if self.seed else None

    def capturer(self) -> Callable[..., Mapping[str, Any]] | None:
        return import_string(self.capture) if self.capture else None

    def results_url_for(self, user: Any, phase: Any) -> str:
        """The results page of `phase` if this person may see it now, else ""."""
        if not self.results_url_name or not self.results_visible:
            return ""
        if not import_string(self.results_visible)(user, phase):
            return ""
        return reverse(self.results_url_name, args=[phase.pk])

    def render_panel(self, request: Any, phase: Any) -> str:
        """The method's resident panel for `phase` ("" when the method has none)."""
        if not self.panel:
            return ""
        render: Any = import_string(self.panel)
        return str(render(request, phase))

    def settings_form_class(self) -> Any:
        return import_string(self.settings_form) if self.settings_form else None

    def offers(self, action: Action) -> bool:
        return action in self.actions

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def ordered_actions(self) -> list[Action]:
        """The actions this method offers, in the registry's order (for forms and pages)."""
        return [action for action in Action if action in self.actions]

    def has_setting(self, name: str) -> bool:
        """Whether phases of this method have the setting `name` (it has a default)."""
        return name in self.default_options

    def idea_fields(self) -> list[str]:
        """The fields of this method's idea form that a city may switch off or require."""
        fields = self.default_options.get("fields") or {}
        return [name for name in IDEA_FIELDS if name in fields]


_registry: dict[str, Method] = {}


class UnknownMethod(KeyError):
    pass


def register(method: Method) -> Method:
    """Add a method's manifest to the registry (from its `AppConfig.ready()`)."""
    if method.key in _registry and _registry[method.key] != method:
        raise ValueError(f"participation method {method.key!r} is registered twice")
    _registry[method.key] = method
    if method.feature:
        register_feature(method.feature, method.feature_label or method.label)
    if method.personal_data:
        register_personal_data(*import_string(method.personal_data))
    return method


def unregister(key: str) -> None:
    """Take a method out of the registry, with the plan feature and the personal-data
    declarations `register` added for it: for tests that register a throw-away method."""
    method = _registry.pop(key, None)
    if method is None:
        return
    if method.feature and all(m.feature != method.feature for m in _registry.values()):
        unregister_feature(method.feature)
    if method.personal_data:
        unregister_personal_data(*import_string(method.personal_data))


def get_method(key: str) -> Method:
    try:
        return _registry[key]
    except KeyError as exc:
        raise UnknownMethod(key) from exc


def all_methods() -> list[Method]:
    """Every registered method, in the order of registration (INSTALLED_APPS' order)."""
    return list(_registry.values())


def periodic_tasks() -> dict[str, Mapping[str, Any]]:
    """The beat entries of every registered method (their manifests' `periodic_tasks`)."""
    entries: dict[str, Mapping[str, Any]] = {}
    for method in _registry.values():
        for name, entry in method.periodic_tasks.items():
            if name in entries:
                raise ValueError(f"periodic task {name!r} is declared by two methods")
            entries[name] = entry
    return entries


INFORMATION = register(
    Method(
        key="information",
        label=_("Information"),
        actions=frozenset(),
        capabilities=frozenset({Capability.FILES}),
    )
)
