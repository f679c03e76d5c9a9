"""Resident groups: by rule or by hand, their members and recomputing them."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ratusz.consultations.core.access import administrator_required
from ratusz.consultations.core.models import ResidentGroup
from ratusz.consultations.participation.refusals import Refused
from ratusz.consultations.people import selectors, services
from ratusz.consultations.people.forms.directory import AddMembersForm
from ratusz.consultations.people.forms.groups import GroupForm
from ratusz.consultations.people.models import GroupKind
from ratusz.consultations.people.staff_views.directory import PAGE_SIZE

# --- groups ---------------------------------------------------------------------------------------


@administrator_required
def groups(request: HttpRequest) -> HttpResponse:
    rows = []
    for group in selectors.groups():
        group_settings = selectors.settings_of(group)
        rows.append(
            {
                "group": group,
                "group_settings": group_settings,
                "rule": selectors.describe_rule(group_settings),
            }
        )
    return render(request, "backoffice/people/groups.html", {"rows": rows})


@administrator_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.create_group(
                name=data["name"],
                description=data["description"],
                kind=data["kind"],
                rule_type=data["rule_type"],
                rule=data["rule"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The group is saved."))
            return redirect("backoffice:group", pk=group.pk)
    return render(
        request,
        "backoffice/people/group_form.html",
        {"form": form, "group": None},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _group_page(
    request: HttpRequest,
    group: ResidentGroup,
    *,
    form: GroupForm | None = None,
    members_form: AddMembersForm | None = None,
    status: int = 200,
) -> HttpResponse:
    group_settings = selectors.settings_of(group)
    members = group.members.order_by("full_name", "email")
    return render(
        request,
        "backoffice/people/group.html",
        {
            "group": group,
            "group_settings": group_settings,
            "rule": selectors.describe_rule(group_settings),
            "is_manual": group_settings.kind == GroupKind.MANUAL,
            "form": form or GroupForm(initial=GroupForm.initial_for(group)),
            "members_form": members_form or AddMembersForm(),
            "members": Paginator(members, PAGE_SIZE).get_page(request.GET.get("page")),
        },
        status=status,
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def group(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ResidentGroup, pk=pk)
    if request.method == "GET":
        return _group_page(request, found)
    form = GroupForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_group(
                group=found,
                name=data["name"],
                description=data["description"],
                kind=data["kind"],
                rule_type=data["rule_type"],
                rule=data["rule"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The group is saved."))
            return redirect("backoffice:group", pk=found.pk)
    return _group_page(request, found, form=form, status=400)


@administrator_required
@require_POST
def group_members_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ResidentGroup, pk=pk)
    form = AddMembersForm(request.POST)
    if form.is_valid():
        try:
            unknown = services.add_members(group=found, emails=form.cleaned_data["emails"])
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            if not unknown:
                messages.success(request, _("The members are added."))
                return redirect("backoffice:group", pk=found.pk)
            form.add_error(
                "emails",
                _("No account in this city uses: %(list)s. Nobody was added.")
                % {"list": ", ".join(unknown)},
            )
    return _group_page(request, found, members_form=form, status=400)


@administrator_required
@require_POST
def group_member_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    found = get_object_or_404(ResidentGroup, pk=pk)
    member = get_object_or_404(found.members.all(), pk=user_pk)
    try:
        services.remove_member(group=found, user=member)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": member})
    return redirect("backoffice:group", pk=found.pk)


@administrator_required
@require_POST
def group_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ResidentGroup, pk=pk)
    result = services.recompute_group(group=found)
    if result.error:
        messages.error(request, result.error)
    else:
        messages.success(
            request,
            _("Members updated: %(added)s added, %(removed)s removed.")
            % {"added": result.added, "removed": result.removed},
        )
    return redirect("backoffice:group", pk=found.pk)


@administrator_required
@require_http_methods(["GET", "POST"])
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ResidentGroup, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            services.delete_group(group=found)
        messages.success(request, _("The group is deleted."))
        return redirect("backoffice:groups")
    return render(
        request,
        "backoffice/people/group_delete.html",
        {"group": found, "project_count": found.projects.count()},
    )
