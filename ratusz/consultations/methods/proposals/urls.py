from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.proposals import staff

# Back-office pages (app_name "backoffice", under /admin/).
urlpatterns: list[URLPattern | URLResolver] = [
    path("proposals/", staff.proposal_list, name="proposals"),
    path("proposals/phase/<int:phase_id>/", staff.proposal_list, name="proposals-phase"),
    path("proposals/<int:proposal_id>/", staff.proposal_answer, name="proposals-answer"),
]
