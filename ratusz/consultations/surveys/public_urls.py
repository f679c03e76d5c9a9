from django.urls import URLPattern, URLResolver

# Resident pages, under /surveys/ of the city host.
app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = []
