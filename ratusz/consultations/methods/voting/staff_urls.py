from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.voting import staff_views as views

# Back-office pages (app_name "backoffice", under /admin/).
urlpatterns: list[URLPattern | URLResolver] = [
    path("voting/<int:phase_id>/", views.phase_page, name="voting-phase"),
    path("voting/<int:phase_id>/import/", views.import_ideas, name="voting-import"),
    path(
        "voting/<int:phase_id>/ideas/<int:candidate_id>/",
        views.update_candidate,
        name="voting-candidate",
    ),
    path("voting/<int:phase_id>/paper/", views.paper_votes, name="voting-paper"),
    path(
        "voting/<int:phase_id>/paper/<int:entry_id>/delete/",
        views.delete_paper_votes,
        name="voting-paper-delete",
    ),
    path("voting/<int:phase_id>/codes/", views.codes, name="voting-codes"),
    path("voting/<int:phase_id>/results.csv", views.results_csv, name="voting-results-csv"),
    path("voting/census/", views.census, name="voting-census"),
]
