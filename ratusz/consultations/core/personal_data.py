"""What the core of consultations holds about a person: the resident groups they belong to and
the projects they manage (staff)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ratusz.accounts.personal_data import OnDeletion, PersonalDataKind
from ratusz.consultations.core.models import Project, ResidentGroup
from ratusz.consultations.core.translation import translated


def _group(group: ResidentGroup) -> dict[str, Any]:
    return {"group": group.name}


def _project(project: Project) -> dict[str, Any]:
    return {"project": translated(project.title, "pl"), "slug": project.slug}


DECLARATIONS = (
    # Membership goes; the group stays for its other members.
    PersonalDataKind(
        name="groups",
        label=_("Groups you belong to"),
        model="consultations.ResidentGroup",
        person_fields=("members",),
        on_deletion=OnDeletion.ANONYMISE,
        describe=_group,
        order_by=("name",),
    ),
    PersonalDataKind(
        name="managed_projects",
        label=_("Projects you manage"),
        model="consultations.Project",
        person_fields=("managers",),
        on_deletion=OnDeletion.ANONYMISE,
        describe=_project,
    ),
)
