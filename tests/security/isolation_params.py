"""Every URL of a city that takes a parameter, and how to fill that parameter with another
city's objects.

The routes come from walking `ratusz.urls_city` (participation methods' public and staff URLs
included), so a new URL joins the matrix by itself. A parameter is filled from a *family* of
objects found in the other city's schema: the parameter's name says which family (`idea_id`:
ideas), and for the generic names (`pk`, `slug`) the URL's name does. Each object of a family
carries the related values a URL may also need (a phase's project slug, a candidate's phase),
so a URL gets consistent values of one city. A parameter nobody knows how to fill fails the
matrix until it is taught here, or listed in `NOT_OBJECTS` with the reason it holds no object.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ratusz.accounts.models import Invitation, User
from ratusz.consultations.branding.models import Page, SiteLink
from ratusz.consultations.campaigns.models import AutomaticEmail, Campaign
from ratusz.consultations.core.models import Folder, Phase, Project, ResidentGroup
from ratusz.consultations.insight.models import Theme
from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.methods.ideation.models import Comment, Idea
from ratusz.consultations.methods.polls.models import Poll
from ratusz.consultations.methods.proposals.models import Proposal
from ratusz.consultations.methods.surveys.models import AnswerFile, Question, SkipRule, SurveyPage
from ratusz.consultations.methods.volunteering.models import Cause
from ratusz.consultations.methods.voting.models import Candidate, PaperVotes
from ratusz.consultations.participation.moderation.models import Block
from ratusz.consultations.participation.notifications.models import Notification
from ratusz.consultations.people.models import RegistrationField
from ratusz.consultations.reports.models import Export
from ratusz.tenants.models import Domain

# Parameters that name no object of the city: what they hold is the same in every city, or a
# secret that the token checks try (test_isolation_matrix.py::test_a_token_of_a_is_refused_in_b).
NOT_OBJECTS: dict[str, str] = {
    "token": "a secret link, not an id: tried by the token checks",
    "key": "a secret link (e-mail confirmation, password reset) or a chart's key (code, the "
    "same in every city): tried by the token checks / filled with the registry's keys",
    "uidb36": "part of a password-reset link: tried by the token checks",
    "fmt": "a file format (csv, xlsx): the same in every city",
    "kind": "a kind from the code (automatic e-mails, moderated content): the same in every "
    "city; filled with the registry's values",
}

# The values of shared (non-object) parameters, where a URL needs one to be reversed.
SHARED_VALUES: dict[str, Callable[[str], list[str]]] = {
    "fmt": lambda name: ["csv", "xlsx"],
    "kind": lambda name: list(AutomaticEmail.values) if "campaign-template" in name else [],
    "key": lambda name: (
        ["participants", "statuses", "answered"] if name == "backoffice:dashboard-csv" else []
    ),
}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name
    pattern: str  # the route, for messages
    params: tuple[str, ...]
    view: str  # dotted path of the view

    def url(self, kwargs: dict[str, Any]) -> str:
        return reverse(self.name, urlconf=settings.CITY_URLCONF, kwargs=kwargs)


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
) -> Iterator[tuple[str, str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern), entry


def city_routes() -> list[Route]:
    """Every named URL of a city (the development-only media route has no name)."""
    routes = []
    for name, pattern, entry in _walk(get_resolver(settings.CITY_URLCONF).url_patterns, "", ""):
        regex = entry.pattern.regex
        params = tuple(regex.groupindex)
        view = f"{entry.callback.__module__}.{getattr(entry.callback, '__name__', '')}"
        routes.append(Route(name=name, pattern=pattern, params=params, view=view))
    return routes


# --- The other city's objects, by family ---------------------------------------------------

Record = dict[str, Any]


def _ids(queryset: Any, param: str, **related: str) -> list[Record]:
    rows = []
    for obj in queryset:
        record: Record = {param: obj.pk}
        for name, path in related.items():
            value: Any = obj
            for part in path.split("."):
                value = getattr(value, part)
            record[name] = value
        rows.append(record)
    return rows


def catalogue(*, min_id: int, slug_marker: str, city_id: int) -> dict[str, list[Record]]:
    """The objects a city made itself (ids from `min_id` on, slugs with its marker), by
    family; run inside the city's context."""
    phases = Phase.objects.filter(pk__gte=min_id).select_related("project")
    return {
        "idea_id": _ids(Idea.objects.filter(pk__gte=min_id), "idea_id"),
        "phase_id": [
            {"phase_id": p.pk, "slug": p.project.slug, "method": p.method} for p in phases
        ],
        "poll_id": _ids(Poll.objects.filter(pk__gte=min_id), "poll_id", phase_id="phase_id"),
        "candidate_id": _ids(
            Candidate.objects.filter(pk__gte=min_id), "candidate_id", phase_id="phase_id"
        ),
        "entry_id": _ids(
            PaperVotes.objects.filter(pk__gte=min_id), "entry_id", phase_id="phase_id"
        ),
        "proposal_id": _ids(Proposal.objects.filter(pk__gte=min_id), "proposal_id"),
        "event_id": _ids(Event.objects.filter(pk__gte=min_id), "event_id"),
        "cause_id": _ids(Cause.objects.filter(pk__gte=min_id), "cause_id"),
        "notification_id": _ids(Notification.objects.filter(pk__gte=min_id), "notification_id"),
        "theme_id": _ids(
            Theme.objects.filter(pk__gte=min_id).select_related("project"),
            "theme_id",
            slug="project.slug",
        ),
        "page_id": _ids(SurveyPage.objects.filter(pk__gte=min_id), "page_id"),
        "question_id": _ids(Question.objects.filter(pk__gte=min_id), "question_id"),
        "rule_id": _ids(SkipRule.objects.filter(pk__gte=min_id), "rule_id"),
        "file_id": _ids(AnswerFile.objects.filter(pk__gte=min_id), "file_id"),
        "link_id": _ids(SiteLink.objects.filter(pk__gte=min_id), "link_id"),
        "domain_id": _ids(Domain.objects.filter(tenant_id=city_id), "domain_id"),
        "user_pk": [
            {"user_pk": user.pk, "pk": group.pk}
            for group in ResidentGroup.objects.filter(pk__gte=min_id)
            for user in group.members.all()
        ],
        # Generic names: the URL's name says which family.
        "project": [
            {"slug": slug}
            for slug in Project.objects.filter(slug__startswith=slug_marker).values_list(
                "slug", flat=True
            )
        ],
        "folder": [
            {"slug": s}
            for s in Folder.objects.filter(slug__startswith=slug_marker).values_list(
                "slug", flat=True
            )
        ],
        "page": [
            {"slug": s}
            for s in Page.objects.filter(slug__startswith=slug_marker).values_list(
                "slug", flat=True
            )
        ],
        "content": [
            {"kind": "idea", "pk": r["idea_id"]}
            for r in _ids(Idea.objects.filter(pk__gte=min_id), "idea_id")
        ]
        + [
            {"kind": "comment", "pk": pk}
            for pk in Comment.objects.filter(pk__gte=min_id).values_list("pk", flat=True)
        ],
        "invitation": _ids(Invitation.objects.filter(pk__gte=min_id), "pk"),
        "registration_field": _ids(RegistrationField.objects.filter(pk__gte=min_id), "pk"),
        "person": _ids(User.objects.filter(pk__gte=min_id), "pk"),
        "group": _ids(ResidentGroup.objects.filter(pk__gte=min_id), "pk"),
        "block": _ids(Block.objects.filter(pk__gte=min_id), "pk"),
        "export": _ids(Export.objects.filter(pk__gte=min_id), "pk"),
        "campaign": _ids(Campaign.objects.filter(pk__gte=min_id), "pk"),
    }


# Which family fills `pk` / `slug`, by the URL's name (first match wins).
GENERIC_FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("pk", r"^moderation:(report|hide|restore|dismiss|approve|reject)$", "content"),
    ("pk", r"^moderation:lift$", "block"),
    ("pk", r"^backoffice:invitation-", "invitation"),
    ("pk", r"^backoffice:registration-field", "registration_field"),
    ("pk", r"^backoffice:person", "person"),
    ("pk", r"^backoffice:group", "group"),
    ("pk", r"^backoffice:export", "export"),
    ("pk", r"^backoffice:campaign-", "campaign"),
    ("slug", r"^(backoffice:)?folder", "folder"),
    ("slug", r"^(backoffice:)?site-page", "page"),
    ("slug", r"^(backoffice:)?(project|phase|insight)|^idea-create$", "project"),
)

# The more specific a family, the earlier: its records carry the other parameters' values.
_ORDER = (
    "user_pk",
    "candidate_id",
    "entry_id",
    "theme_id",
    "poll_id",
    "phase_id",
)

# Participation methods' URLs live in the method's app; a phase parameter there is filled
# with that method's phases (the app's label -> the method's key).
_METHOD_OF_APP = {
    "surveys": "survey",
    "polls": "poll",
    "voting": "voting",
    "proposals": "proposals",
    "events": "events",
    "volunteering": "volunteering",
}


class Unfillable(LookupError):
    pass


def family_of(route: Route, param: str) -> str | None:
    """The family that fills `param` of `route`; None for a parameter that names no object."""
    for name, pattern, family in GENERIC_FAMILIES:
        if name == param and re.search(pattern, route.name):
            return family
    if param in ("pk", "slug"):
        raise Unfillable(f"{route.name}: no family fills {param!r} (teach GENERIC_FAMILIES)")
    if param in NOT_OBJECTS:
        return None
    if param.endswith("_id") or param == "user_pk":
        return param
    raise Unfillable(
        f"{route.name}: parameter {param!r} is neither an object's id nor listed in NOT_OBJECTS"
    )


def fillings(route: Route, objects: dict[str, list[Record]]) -> list[dict[str, Any]]:
    """Consistent values of the other city for every parameter of `route`. Parameters that
    name no object take the values every city shares; [] when a parameter is a secret (the
    token checks try those) or when the other city has no such object."""
    families = {param: family_of(route, param) for param in route.params}
    wanted = [f for f in families.values() if f is not None]
    if not wanted:
        return []
    primary = min(wanted, key=lambda f: _ORDER.index(f) if f in _ORDER else len(_ORDER))
    records = objects[primary]
    if primary == "phase_id":
        method = next(
            (key for app, key in _METHOD_OF_APP.items() if f".{app}." in route.view), None
        )
        if method is not None:
            records = [r for r in records if r["method"] == method]
    result = []
    for record in records:
        kwargs: dict[str, Any] = {}
        for param, family in families.items():
            if param in record:
                kwargs[param] = record[param]
            elif family is None and param in SHARED_VALUES:
                kwargs[param] = SHARED_VALUES[param](route.name)[0]
            elif family is not None and objects[family]:
                kwargs[param] = objects[family][0][param]
            else:
                break
        else:
            result.append(kwargs)
    return result


def shared_fillings(route: Route) -> list[dict[str, Any]]:
    """For a URL whose parameters all name things every city shares (kinds of automatic
    e-mails, chart keys): each value. Such a page of A may answer 200, with A's own data."""
    if not route.params or any(p not in SHARED_VALUES for p in route.params):
        return []
    if len(route.params) != 1:
        raise Unfillable(f"{route.name}: more than one shared parameter: teach shared_fillings")
    (param,) = route.params
    return [{param: value} for value in SHARED_VALUES[param](route.name)]
