"""The authentication backend: one password hash per attempt, whatever the outcome.

Django asks every backend in AUTHENTICATION_BACKENDS in turn until one accepts. With Django's
ModelBackend and allauth's backend both listed, a wrong password was hashed twice (once by
each), and an unknown address twice too (each runs a hash to hide that the account is
missing). This backend comes first and decides alone: allauth's e-mail sign-in (which hashes
once, also for an unknown address), then, when the password was refused, PermissionDenied,
which makes Django stop asking the backends after it. Those stay listed only so that sessions
signed in through them before stay valid (a session names its backend).
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class PasswordBackend(AuthenticationBackend):
    def authenticate(
        self, request: HttpRequest | None, **credentials: Any
    ) -> AbstractBaseUser | None:
        if not credentials.get("password"):
            return None
        user = super().authenticate(request, **credentials)
        if user is None:
            # The password was checked (or a hash was spent on a missing account): nobody
            # after us may hash it again. Django reports the failure (user_login_failed) and
            # returns None; allauth still finds a right password of an inactive account in
            # its stash and shows its "inactive" page.
            raise PermissionDenied
        return user
