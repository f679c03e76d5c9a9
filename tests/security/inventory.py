"""Finds, in the URL configuration of both planes, every view that can sign a person in.

A view can sign in when it calls (directly, or through the functions, methods and form
classes it uses, in Ratusz and in django-allauth) Django's `login`, allauth's login flow or
Ratusz's `sign_in`. The search reads code objects, so it needs no list of names to remember:
a new view that signs in is found the day it is added.
"""

from __future__ import annotations

import contextlib
import inspect
import types
from collections.abc import Callable, Iterator
from typing import Any

import allauth.account.internal.flows.login as allauth_login_flow
import allauth.account.utils as allauth_utils
import django.contrib.auth
from django.urls import URLPattern, URLResolver, get_resolver

from ratusz.accounts import signin

PLANES = ("ratusz.urls_control", "ratusz.urls_city")

SIGN_IN_PRIMITIVES: frozenset[Any] = frozenset(
    {
        django.contrib.auth.login,
        allauth_login_flow.perform_login,
        allauth_login_flow.resume_login,
        allauth_login_flow.perform_password_login,
        allauth_utils.perform_login,
        signin.sign_in,
    }
)
SEARCHED_PACKAGES = ("ratusz.", "allauth.")


def url_views(urlconf: str) -> Iterator[tuple[str, Callable[..., Any]]]:
    """(route, view callable) of every URL of `urlconf`, includes resolved."""

    def walk(patterns: list[Any], prefix: str) -> Iterator[tuple[str, Callable[..., Any]]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    yield from walk(get_resolver(urlconf).url_patterns, "")


def view_object(callback: Callable[..., Any]) -> Any:
    """The class of a class-based view, else the (decorated) function itself."""
    return getattr(callback, "view_class", None) or callback


def _in_searched_package(obj: Any) -> bool:
    return str(getattr(obj, "__module__", "") or "").startswith(SEARCHED_PACKAGES)


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _referenced(function: types.FunctionType) -> list[Any]:
    """Objects a function's code names: globals, and attributes of the modules and classes
    among them (`flows.login.perform_login`, `services.redeem`...), two levels deep."""
    names: set[str] = set()
    for code in _code_objects(function.__code__):
        names.update(code.co_names)
    namespace = function.__globals__
    found = [namespace[name] for name in names if name in namespace]
    frontier = list(found)
    for _ in range(2):
        following = []
        for holder in frontier:
            if isinstance(holder, types.ModuleType) or inspect.isclass(holder):
                for name in names:
                    attribute = inspect.getattr_static(holder, name, None)
                    if attribute is not None:
                        following.append(attribute)
        found.extend(following)
        frontier = following
    # Closures of decorators hold the wrapped view.
    for cell in function.__closure__ or ():
        with contextlib.suppress(ValueError):  # an empty cell
            found.append(cell.cell_contents)
    return found


def _functions_of_class(cls: type) -> Iterator[types.FunctionType]:
    for klass in cls.__mro__:
        if not _in_searched_package(klass):
            continue
        for attribute in vars(klass).values():
            if isinstance(attribute, (staticmethod, classmethod)):
                attribute = attribute.__func__
            if isinstance(attribute, types.FunctionType):
                yield attribute
        # Forms a view uses (LoginForm.login signs in).
        form_class = vars(klass).get("form_class")
        if inspect.isclass(form_class):
            yield from _functions_of_class(form_class)


def can_sign_in(obj: Any, _seen: set[int] | None = None) -> bool:
    seen = set() if _seen is None else _seen
    if id(obj) in seen:
        return False
    seen.add(id(obj))
    if obj in SIGN_IN_PRIMITIVES if _hashable(obj) else False:
        return True
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if inspect.isclass(obj):
        if not _in_searched_package(obj):
            return False
        return any(can_sign_in(function, seen) for function in _functions_of_class(obj))
    if isinstance(obj, types.FunctionType):
        if not _in_searched_package(obj) and obj.__closure__ is None:
            return False
        return any(can_sign_in(target, seen) for target in _referenced(obj))
    return False


def _hashable(obj: Any) -> bool:
    try:
        hash(obj)
    except TypeError:
        return False
    return True


def sign_in_views() -> dict[Any, list[str]]:
    """Every view of both planes that can sign a person in -> its routes."""
    found: dict[Any, list[str]] = {}
    for urlconf in PLANES:
        for route, callback in url_views(urlconf):
            view = view_object(callback)
            if can_sign_in(view):
                found.setdefault(view, []).append(f"{urlconf}: {route}")
    return found


def dotted(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"
