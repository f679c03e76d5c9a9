"""Moderation URLs, included under /moderation/ in a city's portal."""

from __future__ import annotations

from django.urls import path, register_converter

from ratusz.consultations.participation.moderation import views


class ContentKind:
    """`idea` or `comment`: what a report or a moderator's action is about."""

    regex = "idea|comment"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ContentKind, "content")

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/<content:kind>/<int:pk>/", views.report, name="report"),
    path("mine/", views.my_moderated_content, name="mine"),
    path("<content:kind>/<int:pk>/hide/", views.hide, name="hide"),
    path("<content:kind>/<int:pk>/restore/", views.restore, name="restore"),
    path("<content:kind>/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("<content:kind>/<int:pk>/approve/", views.approve, name="approve"),
    path("<content:kind>/<int:pk>/reject/", views.reject, name="reject"),
    path("blocks/", views.blocks, name="blocks"),
    path("blocks/new/", views.block, name="block"),
    path("blocks/<int:pk>/lift/", views.lift, name="lift"),
    path("words/", views.word_filter, name="words"),
]
