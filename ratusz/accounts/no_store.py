"""No copy of a page or a download holding personal data is kept by a browser or a proxy.

Decided per response, for every URL, so a new view is covered without anyone remembering:
- anything answered to a signed-in person (their name, their drafts, the back office...),
  except a city's public stored files, which are the same for everyone;
- every page under the prefixes of accounts, profiles, back offices, consoles and one-time
  links, also to a visitor not signed in (sign-in and reset forms, invitation pages);
- every download (`Content-Disposition: attachment`): exports, results, "my data".

It sends Django's own never-cache headers (`Cache-Control: max-age=0, no-cache, no-store,
must-revalidate, private` and an `Expires` in the past). `tests/accounts/test_no_store.py` walks
the URL configurations of both planes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

PRIVATE_PREFIXES = (
    "/accounts/",
    "/profile/",
    "/admin/",
    "/moderation/",
    "/notifications/",
    "/invitation/",
    "/support/",
    "/welcome/",
    "/console/",
    "/billing/",
    "/partners/",
    "/signup/",
)
PUBLIC_FILES = "/media/"


def is_private(request: HttpRequest, response: HttpResponseBase) -> bool:
    path = request.path_info
    if response.get("Content-Disposition", "").startswith("attachment"):
        return True
    if path.startswith(PRIVATE_PREFIXES):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and not path.startswith(PUBLIC_FILES))


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_private(request, response):
            add_never_cache_headers(response)
        return response
