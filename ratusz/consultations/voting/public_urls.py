from django.urls import URLPattern, URLResolver

# Resident pages, under /voting/ of the city host.
app_name = "voting"
urlpatterns: list[URLPattern | URLResolver] = []
