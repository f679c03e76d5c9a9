"""People in the back office (included by backoffice.urls: names are `backoffice:<name>`)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.people.staff_views import directory, groups, registration

urlpatterns: list[URLPattern | URLResolver] = [
    path("people/", directory.people, name="people"),
    path("people/invite/", directory.staff_invite, name="staff-invite"),
    path(
        "people/invitations/<int:pk>/withdraw/",
        directory.invitation_revoke,
        name="invitation-revoke",
    ),
    path("people/fields/", registration.registration_fields, name="registration-fields"),
    path(
        "people/fields/new/",
        registration.registration_field_create,
        name="registration-field-create",
    ),
    path(
        "people/fields/<int:pk>/", registration.registration_field_edit, name="registration-field"
    ),
    path(
        "people/fields/<int:pk>/delete/",
        registration.registration_field_delete,
        name="registration-field-delete",
    ),
    path("people/<int:pk>/", directory.person, name="person"),
    path("people/<int:pk>/block/", directory.person_block, name="person-block"),
    path("people/<int:pk>/unblock/", directory.person_unblock, name="person-unblock"),
    path("people/<int:pk>/role/", directory.person_role, name="person-role"),
    path("groups/", groups.groups, name="groups"),
    path("groups/new/", groups.group_create, name="group-create"),
    path("groups/<int:pk>/", groups.group, name="group"),
    path("groups/<int:pk>/members/", groups.group_members_add, name="group-members-add"),
    path(
        "groups/<int:pk>/members/<int:user_pk>/remove/",
        groups.group_member_remove,
        name="group-member-remove",
    ),
    path("groups/<int:pk>/recompute/", groups.group_recompute, name="group-recompute"),
    path("groups/<int:pk>/delete/", groups.group_delete, name="group-delete"),
]
