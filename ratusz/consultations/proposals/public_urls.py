from django.urls import URLPattern, URLResolver

# Resident pages, under /proposals/ of the city host.
app_name = "proposals"
urlpatterns: list[URLPattern | URLResolver] = []
