"""What other apps hold about a person: registries the city-plane apps fill in their ready().

Accounts never imports those apps. An app that stores something a person wrote registers

- a personal data provider: `register_personal_data_provider("ideas", ideas_of)`, a function of
  the account returning JSON-serialisable data, written as `ideas.json` into the person's
  "download my data" archive;
- an account deletion hook: `register_account_deletion_hook(anonymise_ideas)`, called with the
  account inside the deletion's transaction, before the account row is deleted, so that what
  the person wrote can stay, anonymised.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder

if TYPE_CHECKING:
    from ratusz.accounts.models import User

PersonalDataProvider = Callable[["User"], Any]
AccountDeletionHook = Callable[["User"], None]

PROFILE_NAME = "profile"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_providers: dict[str, PersonalDataProvider] = {}
_deletion_hooks: list[AccountDeletionHook] = []


def register_personal_data_provider(name: str, provider: PersonalDataProvider) -> None:
    """Add `<name>.json` to every person's data archive. Registering the same function under the
    same name again does nothing; another function under a taken name is an error."""
    if not _NAME.match(name) or name == PROFILE_NAME:
        raise ValueError(f"{name!r} cannot name a personal data file")
    registered = _providers.get(name)
    if registered is not None and registered is not provider:
        raise ValueError(f"a personal data provider named {name!r} is already registered")
    _providers[name] = provider


def unregister_personal_data_provider(name: str) -> None:
    _providers.pop(name, None)


def personal_data_providers() -> dict[str, PersonalDataProvider]:
    return dict(_providers)


def register_account_deletion_hook(hook: AccountDeletionHook) -> None:
    if hook not in _deletion_hooks:
        _deletion_hooks.append(hook)


def unregister_account_deletion_hook(hook: AccountDeletionHook) -> None:
    if hook in _deletion_hooks:
        _deletion_hooks.remove(hook)


def account_deletion_hooks() -> tuple[AccountDeletionHook, ...]:
    return tuple(_deletion_hooks)


def _dump(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)


def build_archive(*, profile: dict[str, Any], user: User) -> bytes:
    """A ZIP with profile.json and one <name>.json per registered provider."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{PROFILE_NAME}.json", _dump(profile))
        for name, provider in sorted(personal_data_providers().items()):
            archive.writestr(f"{name}.json", _dump(provider(user)))
    return buffer.getvalue()
