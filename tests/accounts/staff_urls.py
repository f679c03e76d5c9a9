"""A city's URLs plus one staff page, for testing `staff_required`."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views import View

from ratusz.accounts.rules import StaffRequiredMixin, staff_required
from ratusz.urls_city import urlpatterns as city_urlpatterns


@staff_required
def staff_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("staff only")


class StaffPage(StaffRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("staff only (class)")


urlpatterns = [
    *city_urlpatterns,
    path("test-staff/", staff_page),
    path("test-staff-class/", StaffPage.as_view()),
]
