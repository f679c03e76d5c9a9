"""Cities add their own idea statuses, with a colour and a description per language."""

from ratusz.consultations.methods.ideation.models import IdeaStatus
from ratusz.tenants.context import city_context
from tests.consultations.test_pages import english


def test_an_administrator_adds_a_status_and_residents_cannot(
    city, other_city, city_admin, resident
):
    client = english(city, city_admin)
    assert client.get("/statuses/").status_code == 200
    response = client.post(
        "/statuses/",
        {
            "code": "w-realizacji",
            "color": "#0b5394",
            "is_final": "",
            "name_pl": "W realizacji",
            "name_en": "In progress",
            "description_pl": "Prace trwają.",
            "description_en": "Work is under way.",
        },
    )
    assert response.status_code == 302
    with city_context(city.ref):
        status = IdeaStatus.objects.get(code="w-realizacji")
        assert status.name == {"pl": "W realizacji", "en": "In progress"}
    with city_context(other_city.ref):
        assert not IdeaStatus.objects.filter(code="w-realizacji").exists()
    assert english(city, resident).get("/statuses/").status_code == 403


def test_bad_status_input_is_refused_and_the_defaults_can_be_renamed(city, city_admin):
    client = english(city, city_admin)
    bad = client.post("/statuses/", {"code": "x x", "color": "red", "name_pl": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Give the colour as #RRGGBB." in html
    assert "This field is required." in html
    duplicate = client.post(
        "/statuses/", {"code": "accepted", "color": "#000000", "name_pl": "Znowu"}
    )
    assert "already exists" in duplicate.content.decode()
    renamed = client.post(
        "/statuses/?edit=accepted",
        {"color": "#1d6b2f", "name_pl": "Zaakceptowany", "name_en": "Approved"},
    )
    assert renamed.status_code == 302
    with city_context(city.ref):
        assert IdeaStatus.objects.get(code="accepted").name["pl"] == "Zaakceptowany"
