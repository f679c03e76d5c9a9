from django.urls import URLPattern, URLResolver, path

from ratusz.consultations.methods.volunteering import views

# Resident pages, under /volunteering/ of the city host.
app_name = "volunteering"
urlpatterns: list[URLPattern | URLResolver] = [
    path("causes/<int:cause_id>/sign-up/", views.sign_up, name="sign-up"),
    path("causes/<int:cause_id>/cancel/", views.cancel, name="cancel"),
]
