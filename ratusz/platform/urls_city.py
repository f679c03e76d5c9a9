"""Console pages served on a city's host: the support entry link (mounted at support/)."""

from django.urls import path

from ratusz.platform import views_city

app_name = "support"

urlpatterns = [path("enter/<str:token>/", views_city.enter_view, name="enter")]
