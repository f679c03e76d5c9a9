"""The templates on offer: built-in and operators' saved ones, what the wizard says of them,
and retiring one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from ratusz.billing.plans import PLANS
from ratusz.consultations.core.registry import (
    UnknownMethod,
    get_method,
)
from ratusz.errors import Refused
from ratusz.onboarding.models import CityTemplate
from ratusz.onboarding.starter_content import BUILTINS, TemplateContent
from ratusz.tenants.context import control_plane


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
