from django.urls import URLPattern, URLResolver, path

import ratusz.consultations.methods.voting.views as views

# Resident pages, under /voting/ of the city host.
app_name = "voting"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:phase_id>/add/<int:candidate_id>/", views.add, name="add"),
    path("<int:phase_id>/remove/<int:candidate_id>/", views.remove, name="remove"),
    path("<int:phase_id>/submit/", views.submit, name="submit"),
    path("<int:phase_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:phase_id>/verify/", views.verify, name="verify"),
    path("<int:phase_id>/code/", views.use_code, name="code"),
    path("<int:phase_id>/results/", views.results, name="results"),
]
