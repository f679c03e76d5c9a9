"""Back-office pages of surveys (app_name "backoffice", under /admin/)."""

from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.surveys import staff_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("surveys/<int:phase_id>/", views.editor, name="surveys-edit"),
    path("surveys/<int:phase_id>/pages/add/", views.add_page, name="surveys-page-add"),
    path("surveys/pages/<int:page_id>/delete/", views.delete_page, name="surveys-page-delete"),
    path("surveys/<int:phase_id>/questions/add/", views.add_question, name="surveys-question-add"),
    path("surveys/questions/<int:question_id>/", views.edit_question, name="surveys-question-edit"),
    path(
        "surveys/questions/<int:question_id>/delete/",
        views.delete_question,
        name="surveys-question-delete",
    ),
    path("surveys/pages/<int:page_id>/rules/add/", views.add_rule, name="surveys-rule-add"),
    path("surveys/rules/<int:rule_id>/delete/", views.delete_rule, name="surveys-rule-delete"),
    path("surveys/<int:phase_id>/results/", views.results, name="surveys-results"),
    path(
        "surveys/<int:phase_id>/export.<str:fmt>",
        views.export,
        name="surveys-export",
    ),
    path("surveys/files/<int:file_id>/", views.answer_file, name="surveys-file"),
]
