from django.urls import URLPattern, URLResolver

# Resident pages, under /volunteering/ of the city host.
app_name = "volunteering"
urlpatterns: list[URLPattern | URLResolver] = []
