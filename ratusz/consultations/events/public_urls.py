from django.urls import URLPattern, URLResolver

# Resident pages, under /events/ of the city host.
app_name = "events"
urlpatterns: list[URLPattern | URLResolver] = []
