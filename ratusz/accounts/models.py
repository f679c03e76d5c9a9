"""Accounts. The table exists in every schema; an account lives in exactly one of them."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Control-plane roles (accounts in the public schema).
    OPERATOR = "operator", _("Operator")
    PARTNER = "partner", _("Partner consultant")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An account needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.OPERATOR)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    language = models.CharField(_("language"), max_length=8, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Set when the city verified this person lives there (census list, voting code, staff).
    verified_at = models.DateTimeField(_("verified resident since"), null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.full_name or self.email


class Invitation(models.Model):
    """An invitation to create an account with a role; only a hash of its token is stored."""

    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"


class PolicyDocument(models.TextChoices):
    TERMS = "terms", _("Terms of use")
    PRIVACY = "privacy", _("Privacy policy")


class AccountSettings(models.Model):
    """The city's rules for accounts: one row per schema.

    Versions of the terms of use and the privacy policy are numbers that only go up; a new
    number asks everyone to accept the new text at their next sign-in.
    """

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    terms_version = models.PositiveIntegerField(_("version of the terms of use"), default=1)
    terms_url = models.CharField(_("address of the terms of use"), max_length=500, blank=True)
    terms_published_at = models.DateTimeField(_("terms of use published"), default=timezone.now)
    privacy_version = models.PositiveIntegerField(_("version of the privacy policy"), default=1)
    privacy_url = models.CharField(_("address of the privacy policy"), max_length=500, blank=True)
    privacy_published_at = models.DateTimeField(_("privacy policy published"), default=timezone.now)
    staff_two_factor_required = models.BooleanField(
        _("require two-factor authentication for staff"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("account settings")
        verbose_name_plural = _("account settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="account_settings_singleton"
            ),
            models.CheckConstraint(
                condition=models.Q(terms_version__gte=1, privacy_version__gte=1),
                name="account_settings_versions_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"terms v{self.terms_version}, privacy v{self.privacy_version}"

    def version_of(self, document: str) -> int:
        return self.terms_version if document == PolicyDocument.TERMS else self.privacy_version


class Consent(models.Model):
    """That a person accepted a version of one of the city's policies, and when."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    document = models.CharField(_("document"), max_length=16, choices=PolicyDocument.choices)
    version = models.PositiveIntegerField(_("version"))
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-accepted_at", "document"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document", "version"], name="consent_once_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(document__in=PolicyDocument.values),
                name="consent_document_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.document} v{self.version}"
