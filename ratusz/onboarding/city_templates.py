"""City templates: fill a new city from one, save an existing city as one, retire one.

A template carries the city's own content only (topics, idea statuses, projects and their
phases with their methods' settings, surveys and events, pages): never residents, their
accounts or anything they wrote. Each method's content is built through that method's own
services, as staff would build it.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ratusz.accounts.models import User
from ratusz.billing.plans import PLANS
from ratusz.consultations.branding import services as branding
from ratusz.consultations.branding.models import Page
from ratusz.consultations.core import services as consultations
from ratusz.consultations.core.models import Phase, Project, Topic
from ratusz.consultations.core.registry import (
    Capability,
    Method,
    UnknownMethod,
    get_method,
)
from ratusz.consultations.methods.events import services as events
from ratusz.consultations.methods.events.models import Event
from ratusz.consultations.methods.ideation import services as ideation
from ratusz.consultations.methods.ideation.models import IdeaStatus
from ratusz.consultations.methods.surveys import services as surveys
from ratusz.consultations.methods.surveys.models import Survey
from ratusz.errors import Refused
from ratusz.onboarding.models import CityTemplate
from ratusz.onboarding.starter_content import BUILTINS, EMPTY, TemplateContent
from ratusz.tenants.context import CityRef, city_context, control_plane
from ratusz.tenants.entitlements import (
    Entitlements,
    current_entitlements,
    forget_entitlements,
)

# The method a phase falls back to when the city's plan does not include its own.
FALLBACK_METHOD = "information"
# Texts of a question's configuration written per language (choices, rows, scale ends).
_LABELLED_LISTS = ("choices", "rows", "columns")
_LABELS = ("min_label", "max_label")


class TemplateRefused(Refused, ValueError):
    code = "template_refused"


@dataclass(frozen=True)
class TemplateChoice:
    code: str
    name: str
    description: str
    remark: str


def _text(values: dict[str, str], language: str) -> str:
    return values.get(language) or next(iter(values.values()), "")


def _methods_of(content: TemplateContent) -> list[str]:
    return [
        phase["method"]
        for project in content.get("projects", [])
        for phase in project.get("phases", [])
    ]


def plans_remark(methods: Iterable[str]) -> str:
    """What the wizard says about a template whose methods some plans do not include: which
    plans do, and what happens on the others (the trial includes everything)."""
    remarks: list[str] = []
    seen: set[str] = set()
    for key in methods:
        try:
            feature = get_method(key).feature
        except UnknownMethod:
            continue
        if not feature or feature in seen:
            continue
        seen.add(feature)
        plans = [str(plan.name) for plan in PLANS.values() if feature in plan.features]
        if len(plans) == len(PLANS):
            continue
        remarks.append(
            _(
                "%(method)s is included in the %(plans)s plans; on another plan its phase "
                "starts as an information phase."
            )
            % {"method": get_method(key).label, "plans": get_text_list(plans, _("and"))}
        )
    return " ".join(remarks)


def available_templates(language: str = "en") -> list[TemplateChoice]:
    """The templates the wizard offers: built-in ones and operators' saved ones, not retired."""
    with control_plane():
        rows = list(CityTemplate.objects.filter(retired_at__isnull=True))
        retired = set(
            CityTemplate.objects.filter(retired_at__isnull=False).values_list("code", flat=True)
        )
    choices = [
        TemplateChoice(
            code=builtin.code,
            name=str(builtin.name),
            description=str(builtin.description),
            remark=plans_remark(builtin.methods),
        )
        for builtin in BUILTINS.values()
        if builtin.code not in retired
    ]
    choices += [
        TemplateChoice(
            code=row.code,
            name=_text(row.name, language),
            description=_text(row.description, language),
            remark=plans_remark(_methods_of(row.content or {})),
        )
        for row in rows
        if row.code not in BUILTINS
    ]
    return choices


def template_content(code: str, languages: tuple[str, ...]) -> TemplateContent:
    if code in BUILTINS:
        return BUILTINS[code].build(languages)
    with control_plane():
        row = CityTemplate.objects.filter(code=code, retired_at__isnull=True).first()
    if row is None:
        raise TemplateRefused(_("This template does not exist or was retired."))
    return row.content


def _in(values: dict[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """Keep the city's languages; a language the template lacks gets the first text it has,
    for the city to translate (better than an empty title)."""
    fallback = next(iter(values.values()), "")
    return {language: values.get(language) or fallback for language in languages if fallback}


def _config_in(config: dict[str, Any], languages: tuple[str, ...]) -> dict[str, Any]:
    """A question's configuration with its texts in the city's languages."""
    localised = dict(config)
    for name in _LABELLED_LISTS:
        if name in config:
            localised[name] = [
                {**item, "label": _in(dict(item.get("label") or {}), languages)}
                for item in config[name]
            ]
    for name in _LABELS:
        if name in config:
            localised[name] = _in(dict(config[name] or {}), languages)
    return localised


@dataclass(frozen=True)
class _Target:
    """A template phase as this city can hold it: its own method, or an information phase
    when the city's plan does not include that method (or it no longer exists)."""

    method: Method
    fallback_from: str  # the template's method when it fell back, else ""


def _target(key: str, entitlements: Entitlements) -> _Target:
    try:
        method = get_method(key)
    except UnknownMethod:
        return _Target(get_method(FALLBACK_METHOD), key)
    if method.feature and not entitlements.allows(method.feature):
        return _Target(get_method(FALLBACK_METHOD), key)
    return _Target(method, "")


def _fallback_note(key: str, languages: tuple[str, ...]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for language in languages:
        with translation.override(language):
            try:
                label = str(get_method(key).label)
            except UnknownMethod:
                label = key
            note = _(
                "%(method)s is not part of this city's plan, so this phase starts as an "
                "information phase. With a plan that includes it, an administrator can change "
                "the phase's method in the back office."
            ) % {"method": label}
            notes[language] = f"<p><em>{note}</em></p>"
    return notes


def _add_phase(
    *,
    project: Project,
    spec: dict[str, Any],
    made: list[Phase],
    starts: datetime,
    entitlements: Entitlements,
    city: CityRef,
    admin: User,
) -> Phase:
    languages = city.languages
    target = _target(spec["method"], entitlements)
    description = _in(spec.get("description", {}), languages)
    options: dict[str, Any] = {}
    if target.fallback_from:
        note = _fallback_note(target.fallback_from, languages)
        description = {lang: description.get(lang, "") + note[lang] for lang in languages}
    else:
        options = {k: v for k, v in dict(spec.get("options") or {}).items() if k != "source_phase"}
        source = spec.get("source_phase")
        # The template names the source phase by its place in the project; a phase that fell
        # back to information collects no ideas, so the ballot then waits for staff's choice.
        if (
            isinstance(source, int)
            and 0 <= source < len(made)
            and get_method(made[source].method).can(Capability.IDEAS)
        ):
            options["source_phase"] = made[source].pk
    phase = consultations.add_phase(
        project=project,
        method=target.method.key,
        starts_at=starts,
        ends_at=starts + timedelta(days=int(spec.get("days", 30))),
        title=_in(spec.get("title", {}), languages),
        description=description,
        options=options,
        default_language=city.default_language,
    )
    if target.fallback_from:
        return phase
    if spec.get("survey") and target.method.key == "survey":
        _build_survey(phase=phase, spec=spec["survey"], admin=admin, languages=languages)
    if target.method.key == "events":
        for event in spec.get("events", []):
            _add_event(phase=phase, spec=event, city=city)
    return phase


def _build_survey(
    *, phase: Phase, spec: dict[str, Any], admin: User, languages: tuple[str, ...]
) -> None:
    """The template's survey, built through the surveys' services as staff would."""
    survey = surveys.ensure_survey(phase=phase)
    surveys.update_texts(
        staff=admin,
        survey=survey,
        intro=_in(spec.get("intro", {}), languages),
        thank_you=_in(spec.get("thank_you", {}), languages),
    )
    page_specs = list(spec.get("pages", []))
    if not page_specs:
        return
    # ensure_survey made one untitled page; the template's pages replace it.
    blank = list(survey.pages.all())
    pages = [
        surveys.add_page(staff=admin, survey=survey, title=_in(page.get("title", {}), languages))
        for page in page_specs
    ]
    for page in blank:
        surveys.delete_page(staff=admin, page=page)
    for number, (page, page_spec) in enumerate(zip(pages, page_specs, strict=True)):
        questions = [
            surveys.save_question(
                staff=admin,
                survey=survey,
                page=page,
                kind=question["kind"],
                text=_in(question.get("text", {}), languages),
                help_text=_in(question.get("help", {}), languages),
                required=bool(question.get("required")),
                config=_config_in(dict(question.get("config") or {}), languages),
            )
            for question in page_spec.get("questions", [])
        ]
        for rule in page_spec.get("rules", []):
            to_page = rule.get("to_page")
            asked = rule.get("question")
            if not isinstance(asked, int) or not 0 <= asked < len(questions):
                continue
            if to_page is not None and not number < int(to_page) < len(pages):
                continue
            surveys.add_rule(
                staff=admin,
                page=page,
                question=questions[asked],
                value=str(rule.get("value", "")),
                target=None if to_page is None else pages[int(to_page)],
            )


def _add_event(*, phase: Phase, spec: dict[str, Any], city: CityRef) -> Event:
    """A draft event of the template, on the day `starts_in_days` after the phase's first
    day, at its local time; the project is a draft, so nobody sees it before staff publish."""
    zone = zoneinfo.ZoneInfo(city.time_zone)
    day = phase.starts_at.astimezone(zone).date() + timedelta(
        days=int(spec.get("starts_in_days", 0))
    )
    hour, minute = (int(part) for part in str(spec.get("at", "18:00")).split(":"))
    starts = datetime.combine(day, time(hour, minute), tzinfo=zone)
    return events.create_event(
        phase=phase,
        details=events.EventDetails(
            title=_in(spec.get("title", {}), city.languages),
            description=_in(spec.get("description", {}), city.languages),
            place=_in(spec.get("place", {}), city.languages),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=max(1, int(spec.get("minutes", 120)))),
            online_url=str(spec.get("online_url") or ""),
            capacity=spec.get("capacity"),
        ),
    )


def apply_template(*, code: str, admin: User, city: CityRef) -> None:
    """Fill the current city (we run in its context) from template `code`: projects stay in
    draft, pages stay drafts, for the city to review and publish. A phase whose method the
    city's plan does not include starts as an information phase that says so."""
    languages = city.languages
    content = template_content(code or EMPTY, languages)
    # The wizard applies the chosen plan in the same transaction, just before: read it afresh
    # rather than trust an entry cached before the plan changed (forgotten only on commit).
    forget_entitlements(city.id)
    entitlements = current_entitlements()
    now = timezone.now()
    with transaction.atomic():
        for position, topic in enumerate(content.get("topics", [])):
            if not Topic.objects.filter(slug=topic["slug"]).exists():
                consultations.create_topic(
                    slug=topic["slug"], name=_in(topic["name"], languages), position=position
                )
        for status in content.get("statuses", []):
            if not IdeaStatus.objects.filter(code=status["code"]).exists():
                ideation.save_status(
                    staff=admin,
                    code=status["code"],
                    name=_in(status["name"], languages),
                    description=_in(status.get("description", {}), languages),
                    color=status.get("color", "#4a4a4a"),
                    is_final=bool(status.get("is_final")),
                )
        for spec in content.get("projects", []):
            if Project.objects.filter(slug=spec["slug"]).exists():
                continue
            project = consultations.create_project(
                slug=spec["slug"],
                title=_in(spec["title"], languages),
                description=_in(spec.get("description", {}), languages),
            )
            made: list[Phase] = []
            for phase in spec.get("phases", []):
                made.append(
                    _add_phase(
                        project=project,
                        spec=phase,
                        made=made,
                        starts=now + timedelta(days=int(phase.get("starts_in_days", 14))),
                        entitlements=entitlements,
                        city=city,
                        admin=admin,
                    )
                )
        for page in content.get("pages", []):
            if not Page.objects.filter(slug=page["slug"]).exists():
                branding.save_page(
                    slug=page["slug"],
                    kind=page.get("kind", "custom"),
                    title=_in(page["title"], languages),
                    body=_in(page.get("body", {}), languages),
                    status="draft",
                )
        if content.get("standard_pages"):
            branding.add_standard_pages(city_name=city.name, languages=languages)


def _capture_survey(phase: Phase) -> dict[str, Any] | None:
    survey = (
        Survey.objects.filter(phase=phase)
        .prefetch_related("pages__questions", "pages__rules")
        .first()
    )
    if survey is None:
        return None
    pages = list(survey.pages.all())
    index = {page.pk: number for number, page in enumerate(pages)}
    captured = []
    for page in pages:
        questions = list(page.questions.all())
        positions = {question.pk: number for number, question in enumerate(questions)}
        rules = [
            {
                "question": positions[rule.question_id],
                "value": rule.value,
                "to_page": index[rule.target_id] if rule.target_id else None,
            }
            for rule in page.rules.all()
            # A rule whose question or target page was deleted is broken: not carried.
            if rule.question_id in positions
            and (rule.to_end or (rule.target_id is not None and rule.target_id in index))
        ]
        captured.append(
            {
                "title": page.title,
                "questions": [
                    {
                        "kind": question.kind,
                        "text": question.text,
                        "help": question.help,
                        "required": question.required,
                        "config": question.config,
                    }
                    for question in questions
                ],
                "rules": rules,
            }
        )
    return {"intro": survey.intro, "thank_you": survey.thank_you, "pages": captured}


def _capture_events(phase: Phase, zone: zoneinfo.ZoneInfo) -> list[dict[str, Any]]:
    first_day = phase.starts_at.astimezone(zone).date()
    captured = []
    for event in Event.objects.filter(phase=phase).order_by("starts_at", "pk"):
        local = event.starts_at.astimezone(zone)
        captured.append(
            {
                "title": event.title,
                "description": event.description,
                "place": event.place,
                "starts_in_days": max(0, (local.date() - first_day).days),
                "at": local.strftime("%H:%M"),
                "minutes": max(1, int((event.ends_at - event.starts_at).total_seconds() // 60)),
                "capacity": event.capacity,
                "online_url": event.online_url,
            }
        )
    return captured


def _capture_phase(
    phase: Phase, first: datetime, index: dict[int, int], zone: zoneinfo.ZoneInfo
) -> dict[str, Any]:
    options = {k: v for k, v in phase.options.items() if k != "source_phase"}
    captured: dict[str, Any] = {
        "method": phase.method,
        "title": phase.title,
        "description": phase.description,
        "starts_in_days": 14 + (phase.starts_at - first).days,
        "days": max(1, ((phase.ends_at or phase.starts_at) - phase.starts_at).days),
        "options": options,
    }
    # Ids mean nothing in another city: the source phase is named by its place in the project.
    source = phase.options.get("source_phase")
    if source is not None and int(source) in index:
        captured["source_phase"] = index[int(source)]
    survey = _capture_survey(phase)
    if survey is not None:
        captured["survey"] = survey
    captured_events = _capture_events(phase, zone)
    if captured_events:
        captured["events"] = captured_events
    return captured


def capture_city_content(*, city: CityRef) -> TemplateContent:
    """The city's own content as template data: no residents, no ideas, comments, votes,
    answers or registrations, no managers; phase dates become offsets from today. Phases keep
    their method's settings, their survey (pages, questions, skip rules) and their events."""
    zone = zoneinfo.ZoneInfo(city.time_zone)
    with city_context(city):
        topics = [{"slug": t.slug, "name": t.name} for t in Topic.objects.order_by("position")]
        statuses = [
            {
                "code": s.code,
                "name": s.name,
                "description": s.description,
                "color": s.color,
                "is_final": s.is_final,
            }
            for s in IdeaStatus.objects.all()
        ]
        projects: list[dict[str, Any]] = []
        for project in Project.objects.exclude(status="archived").prefetch_related("phases"):
            phases = list(project.phases.all().order_by("starts_at"))
            first = phases[0].starts_at if phases else timezone.now()
            index = {phase.pk: number for number, phase in enumerate(phases)}
            projects.append(
                {
                    "slug": project.slug,
                    "title": project.title,
                    "description": project.description,
                    "phases": [_capture_phase(phase, first, index, zone) for phase in phases],
                }
            )
        pages = [
            {"slug": p.slug, "kind": p.kind, "title": p.title, "body": p.body}
            for p in Page.objects.all()
        ]
    return {
        "topics": topics,
        "statuses": statuses,
        "projects": projects,
        "pages": pages,
        "standard_pages": False,
    }


def save_city_as_template(
    *, city: CityRef, code: str, name: dict[str, str], description: dict[str, str] | None = None
) -> CityTemplate:
    """An operator saves an existing city's content as a new template."""
    if code in BUILTINS:
        raise TemplateRefused(_("This identifier belongs to a built-in template."))
    content = capture_city_content(city=city)
    with control_plane(), transaction.atomic():
        if CityTemplate.objects.filter(code=code).exists():
            raise TemplateRefused(_("A template with this identifier already exists."))
        position = CityTemplate.objects.count() + len(BUILTINS)
        return CityTemplate.objects.create(
            code=code,
            name=name,
            description=description or {},
            content=content,
            source_city_id=city.id,
            position=position,
        )


def retire_template(*, code: str) -> CityTemplate:
    """New cities can no longer start from `code`; cities made from it keep their content.
    A built-in template is retired through a row that carries only its code."""
    with control_plane(), transaction.atomic():
        row = CityTemplate.objects.select_for_update().filter(code=code).first()
        if row is None:
            if code not in BUILTINS:
                raise TemplateRefused(_("This template does not exist."))
            builtin = BUILTINS[code]
            row = CityTemplate.objects.create(code=code, name={"en": str(builtin.name)}, position=0)
        if row.retired_at is None:
            row.retired_at = timezone.now()
            row.save(update_fields=["retired_at"])
    return row


def retired_templates() -> QuerySet[CityTemplate]:
    return CityTemplate.objects.filter(retired_at__isnull=False)


def builtin_name(code: str) -> str | Promise:
    builtin = BUILTINS.get(code)
    return builtin.name if builtin else code
