from django.urls import path

from tests.consultations.plugin_method import views

app_name = "plugin_test"

urlpatterns = [path("", views.index, name="index")]
