"""People pages of the back office (administrators only) and "complete your profile" (for
residents, before a first action).

Views parse, authorise, call one service or selector and render. Blocks go through the
moderation services, invitations through accounts' `create_invitation` (via `invite_staff`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ratusz.accounts.models import Invitation, Role, User
from ratusz.consultations.core.access import administrator_required
from ratusz.consultations.core.models import ResidentGroup
from ratusz.consultations.methods.ideation.services import NotAllowed, Refused
from ratusz.consultations.participation.moderation import services as moderation
from ratusz.consultations.participation.moderation.selectors import active_block
from ratusz.consultations.people import selectors, services
from ratusz.consultations.people.forms.answers import ProfileAnswersForm
from ratusz.consultations.people.forms.directory import (
    AddMembersForm,
    BlockForm,
    InviteStaffForm,
    PeopleFilterForm,
    RoleForm,
)
from ratusz.consultations.people.forms.groups import GroupForm
from ratusz.consultations.people.forms.registration import RegistrationFieldForm
from ratusz.consultations.people.models import GroupKind, RegistrationField
from ratusz.tenants.entitlements import LimitReached

PAGE_SIZE = 25


def _admin(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # administrator_required ran first
    return user


def _person_or_404(pk: int) -> User:
    found = selectors.person(pk)
    if found is None:
        raise Http404
    return found


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


# --- people ---------------------------------------------------------------------------------------


@administrator_required
def people(request: HttpRequest) -> HttpResponse:
    """Everyone with an account in the city: search, filter, page through."""
    form = PeopleFilterForm(request.GET or None)
    accounts = selectors.people(**form.filters())
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/people/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "invitations": selectors.open_staff_invitations(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _person_page(
    request: HttpRequest,
    person: User,
    *,
    block_form: BlockForm | None = None,
    role_form: RoleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "backoffice/people/person.html",
        {
            "person": person,
            "active_block": active_block(person),
            "block_form": block_form or BlockForm(),
            "role_form": role_form
            or RoleForm(
                initial={"role": person.role, "projects": list(person.managed_projects.all())}
            ),
            "activity": selectors.activity(person),
            "answers": _answers_for_display(person),
            "groups": person.resident_groups.order_by("name"),
            "is_self": person.pk == request.user.pk,
        },
        status=status,
    )


def _answers_for_display(person: User) -> list[dict[str, Any]]:
    from ratusz.consultations.people.forms.answers import _text

    answers = selectors.answers_of(person)
    rows = []
    for found in selectors.all_fields():
        value = answers.get(found.key, "")
        labels = {option.value: _text(option.label) for option in found.options.all()}
        rows.append(
            {
                "label": _text(found.label) or found.key,
                "answer": labels.get(value, value),
                "active": found.active,
            }
        )
    return rows


@administrator_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, _person_or_404(pk))


@administrator_required
@require_POST
def person_block(request: HttpRequest, pk: int) -> HttpResponse:
    found = _person_or_404(pk)
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            moderation.block_resident(
                admin=_admin(request),
                resident=found,
                reason=form.cleaned_data["reason"],
                until=form.until(),
            )
        except (Refused, NotAllowed) as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The resident is blocked."))
            return redirect("backoffice:person", pk=found.pk)
    return _person_page(request, found, block_form=form, status=400)


@administrator_required
@require_POST
def person_unblock(request: HttpRequest, pk: int) -> HttpResponse:
    found = _person_or_404(pk)
    block = active_block(found)
    if block is None:
        messages.error(request, _("This resident is not blocked."))
        return redirect("backoffice:person", pk=found.pk)
    try:
        moderation.lift_block(
            admin=_admin(request), block=block, reason=request.POST.get("reason", "")
        )
    except (Refused, NotAllowed) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The block is lifted."))
    return redirect("backoffice:person", pk=found.pk)


@administrator_required
@require_POST
def person_role(request: HttpRequest, pk: int) -> HttpResponse:
    found = _person_or_404(pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_role(
                admin=_admin(request),
                user=found,
                role=form.cleaned_data["role"],
                projects=form.cleaned_data["projects"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        except LimitReached as limit:
            form.add_error(None, limit.message)
        else:
            messages.success(request, _("The role is changed."))
            return redirect("backoffice:person", pk=found.pk)
    return _person_page(request, found, role_form=form, status=400)


# --- staff invitations ----------------------------------------------------------------------------


@administrator_required
@require_http_methods(["GET", "POST"])
def staff_invite(request: HttpRequest) -> HttpResponse:
    form = InviteStaffForm(request.POST or None, initial={"role": Role.PROJECT_MANAGER})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invite_staff(
                admin=_admin(request),
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                projects=list(data["projects"]),
                accept_url=lambda token: request.build_absolute_uri(
                    reverse("accept-invitation", args=[token])
                ),
                city_name=str(getattr(request, "city", None) and request.city.name),  # type: ignore[attr-defined]  # set by CityRoutingMiddleware
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        except LimitReached as limit:
            form.add_error(None, limit.message)
        else:
            messages.success(
                request,
                _("The invitation is sent to %(email)s.") % {"email": data["email"].lower()},
            )
            return redirect("backoffice:people")
    return render(
        request,
        "backoffice/people/invite.html",
        {"form": form, "staff_count": selectors.staff_count()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@administrator_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.revoke_invitation(admin=_admin(request), invitation=invitation)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return redirect("backoffice:people")


# --- registration fields --------------------------------------------------------------------------


@administrator_required
def registration_fields(request: HttpRequest) -> HttpResponse:
    fields = list(selectors.all_fields())
    return render(
        request,
        "backoffice/people/fields.html",
        {
            "fields": fields,
            "groups_by_field": {
                found.key: selectors.groups_using_field(found.key) for found in fields
            },
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def registration_field_create(request: HttpRequest) -> HttpResponse:
    form = RegistrationFieldForm(
        request.POST or None,
        initial={"asked_at": "signup", "position": RegistrationField.objects.count()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_field(
                key=data["key"],
                label=form.labels(),
                help_text=form.help_texts(),
                kind=data["kind"],
                required=data["required"],
                asked_at=data["asked_at"],
                active=data["active"],
                position=data["position"],
                options=data["option_specs"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The field is saved."))
            return redirect("backoffice:registration-fields")
    return render(
        request,
        "backoffice/people/field_form.html",
        {"form": form, "registration_field": None},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def registration_field_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(RegistrationField, pk=pk)
    form = RegistrationFieldForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_field(
                registration_field=found,
                label=form.labels(),
                help_text=form.help_texts(),
                required=data["required"],
                asked_at=data["asked_at"],
                active=data["active"],
                position=data["position"],
                options=data["option_specs"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The field is saved."))
            return redirect("backoffice:registration-fields")
    return render(
        request,
        "backoffice/people/field_form.html",
        {"form": form, "registration_field": found},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def registration_field_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(RegistrationField, pk=pk)
    if request.method == "POST":
        affected = services.delete_field(registration_field=found)
        messages.success(request, _("The field and its answers are deleted."))
        for group in affected:
            messages.warning(
                request,
                _(
                    "The rule of the group “%(group)s” used this field: its members stay as "
                    "they are until you give it another rule."
                )
                % {"group": group.name},
            )
        return redirect("backoffice:registration-fields")
    return render(
        request,
        "backoffice/people/field_delete.html",
        {
            "registration_field": found,
            "answer_count": found.answers.count(),
            "groups": selectors.groups_using_field(found.key),
        },
    )


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


# --- complete your profile (residents) ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def complete_profile(request: HttpRequest) -> HttpResponse:
    """The city's questions, asked before a first action when a required answer is missing
    (and open any time to change the answers)."""
    user = request.user
    assert isinstance(user, User)
    next_url = _next_url(request, "/")
    form = ProfileAnswersForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.save_answers(user=user, answers=form.answers())
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect(next_url)
    return render(
        request,
        "backoffice/people/complete_profile.html",
        {
            "form": form,
            "next": next_url,
            "missing": selectors.missing_required_fields(user),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
