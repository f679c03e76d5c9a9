from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from allauth.account.utils import filter_users_by_email
from django import forms
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ratusz.accounts import selectors
from ratusz.accounts.extensions import signup_extensions
from ratusz.accounts.models import AccountSettings, User


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords differ."))
        elif password:
            try:
                validate_password(password)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class PolicyAcceptanceMixin(forms.Form):
    """Acceptance of the versions of the terms and privacy policy the person was shown.

    The versions travel with the form: if the city publishes a new version in between, the
    person is asked to read it rather than being recorded as accepting what they never saw.
    """

    accept_policies = forms.BooleanField(
        label=_("I accept the terms of use and the privacy policy"),
        error_messages={
            "required": _("Accept the terms of use and the privacy policy to continue."),
        },
    )
    terms_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    privacy_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    policies: AccountSettings

    def _offer_current_policies(self) -> None:
        self.policies = selectors.account_settings()
        self.fields["terms_version"].initial = self.policies.terms_version
        self.fields["privacy_version"].initial = self.policies.privacy_version

    def _check_versions(self, data: dict[str, Any]) -> None:
        shown = (data.get("terms_version"), data.get("privacy_version"))
        current = (self.policies.terms_version, self.policies.privacy_version)
        if None not in shown and shown != current:
            self.add_error(
                "accept_policies",
                _(
                    "The terms of use or the privacy policy changed in the meantime. Read the "
                    "new version and accept it again."
                ),
            )


class CitySignupForm(PolicyAcceptanceMixin, SignupForm):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "email", "password1", "accept_policies"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_current_policies()
        email = self.fields["email"]
        email.label = _("E-mail address")
        email.widget.attrs.pop("placeholder", None)
        email.widget.attrs["autocomplete"] = "email"
        self.fields["password1"].widget.attrs.pop("placeholder", None)
        # Questions the city's apps add (registration fields), asked before the consent.
        extra: list[str] = []
        for extension in signup_extensions():
            for name, field in extension.fields().items():
                self.fields[name] = field
                extra.append(name)
        if extra:
            self.order_fields(
                ["full_name", "email", "password1", "password2", *extra, "accept_policies"]
            )

    def validate_unique_email(self, value: str) -> str:
        # A taken address is not an error here: allauth then creates no account and e-mails
        # the address' owner, and the page is the same as for a new address. allauth would
        # do so by itself only with ACCOUNT_EMAIL_VERIFICATION="mandatory" (see adapter's
        # SignupConfirmsFirstStage for why sign-up alone is mandatory here).
        email = get_adapter().validate_unique_email(value)
        self.account_already_exists = bool(filter_users_by_email(email))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_versions(data)
        return data

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        if self.account_already_exists:
            # No account is made for a taken address, but the answer must cost what making
            # one costs (one hash), or its speed would tell a taken address from a new one.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class ConsentForm(PolicyAcceptanceMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_current_policies()
        self.fields["accept_policies"].label = _("I accept the new versions")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_versions(data)
        return data


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if selectors.is_last_administrator(self.user):
            raise forms.ValidationError(
                _(
                    "You are the only administrator of this portal. Make someone else an "
                    "administrator before you delete your account."
                ),
                code="last_administrator",
            )
        return data


class CityAccountRulesForm(forms.Form):
    """What an administrator decides about accounts in their city."""

    staff_two_factor_required = forms.BooleanField(
        label=_("Staff must use two-factor authentication"), required=False
    )
    terms_url = forms.URLField(
        label=_("Address of the terms of use"), required=False, assume_scheme="https"
    )
    privacy_url = forms.URLField(
        label=_("Address of the privacy policy"), required=False, assume_scheme="https"
    )
    publish = forms.MultipleChoiceField(
        label=_("Publish a new version (everyone accepts it again at their next sign-in)"),
        choices=[("terms", _("Terms of use")), ("privacy", _("Privacy policy"))],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
