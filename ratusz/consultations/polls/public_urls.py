from django.urls import URLPattern, URLResolver

# Resident pages, under /polls/ of the city host.
app_name = "polls"
urlpatterns: list[URLPattern | URLResolver] = []
