from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.proposals import views

# Resident pages, under /proposals/ of the city host.
app_name = "proposals"
urlpatterns: list[URLPattern | URLResolver] = [
    path("new/<int:phase_id>/", views.proposal_create, name="create"),
    path("<int:proposal_id>/", views.proposal_detail, name="detail"),
    path("<int:proposal_id>/support/", views.support, name="support"),
    path("<int:proposal_id>/withdraw/", views.withdraw, name="withdraw"),
]
