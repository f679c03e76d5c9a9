"""People in the back office (included by backoffice.urls: names are `backoffice:<name>`)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.people import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("people/", views.people, name="people"),
    path("people/invite/", views.staff_invite, name="staff-invite"),
    path(
        "people/invitations/<int:pk>/withdraw/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("people/fields/", views.registration_fields, name="registration-fields"),
    path("people/fields/new/", views.registration_field_create, name="registration-field-create"),
    path("people/fields/<int:pk>/", views.registration_field_edit, name="registration-field"),
    path(
        "people/fields/<int:pk>/delete/",
        views.registration_field_delete,
        name="registration-field-delete",
    ),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/block/", views.person_block, name="person-block"),
    path("people/<int:pk>/unblock/", views.person_unblock, name="person-unblock"),
    path("people/<int:pk>/role/", views.person_role, name="person-role"),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("groups/<int:pk>/members/", views.group_members_add, name="group-members-add"),
    path(
        "groups/<int:pk>/members/<int:user_pk>/remove/",
        views.group_member_remove,
        name="group-member-remove",
    ),
    path("groups/<int:pk>/recompute/", views.group_recompute, name="group-recompute"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group-delete"),
]
