from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.proposals import staff_views

# Back-office pages (app_name "backoffice", under /admin/).
urlpatterns: list[URLPattern | URLResolver] = [
    path("proposals/", staff_views.proposal_list, name="proposals"),
    path("proposals/phase/<int:phase_id>/", staff_views.proposal_list, name="proposals-phase"),
    path("proposals/<int:proposal_id>/", staff_views.proposal_answer, name="proposals-answer"),
]
