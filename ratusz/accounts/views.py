from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ratusz.accounts.forms import AcceptInvitationForm
from ratusz.accounts.services import InvitationInvalid, accept_invitation, find_open_invitation


def accept_invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = find_open_invitation(token)
    except InvitationInvalid as invalid:
        return render(
            request, "accounts/invitation_invalid.html", {"reason": invalid.reason}, status=410
        )
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except InvitationInvalid as invalid:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": invalid.reason}, status=410
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("/")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
