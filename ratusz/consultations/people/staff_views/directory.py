"""The list of people, a person's page (blocks, roles) and staff invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ratusz.accounts.models import Invitation, Role, User
from ratusz.consultations.core.access import administrator_required
from ratusz.consultations.participation.moderation import services as moderation
from ratusz.consultations.participation.moderation.selectors import active_block
from ratusz.consultations.participation.refusals import NotAllowed, Refused
from ratusz.consultations.people import selectors, services
from ratusz.consultations.people.forms.answers import _text
from ratusz.consultations.people.forms.directory import (
    BlockForm,
    InviteStaffForm,
    PeopleFilterForm,
    RoleForm,
)
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
