"""The city portal's own settings: per city, in the city's languages, never another city's."""

from django.utils import translation

from ratusz.consultations.core.selectors import portal_welcome
from ratusz.consultations.core.services import update_welcome
from ratusz.tenants.context import city_context


def test_each_city_reads_only_its_own_welcome(city, other_city):
    with city_context(city.ref):
        update_welcome(title={"pl": "Witamy w Gdańsku"}, text={"pl": "Tekst"})
    with city_context(other_city.ref):
        welcome = portal_welcome(default_language="en")
        assert welcome.title == "Public consultations: Springfield"
        assert "Gdańsk" not in welcome.title + welcome.text
    with city_context(city.ref), translation.override("pl"):
        assert portal_welcome(default_language="pl").title == "Witamy w Gdańsku"


def test_content_falls_back_to_the_citys_default_language(other_city):
    with city_context(other_city.ref), translation.override("pl"):
        # Springfield writes English only: a Polish reader gets the English text.
        assert portal_welcome(default_language="en").title == "Public consultations: Springfield"


def test_a_new_city_is_welcomed_in_each_of_its_languages(city):
    with city_context(city.ref):
        with translation.override("pl"):
            assert portal_welcome(default_language="pl").title == "Konsultacje społeczne: Gdańsk"
        with translation.override("en"):
            assert portal_welcome(default_language="pl").title == "Public consultations: Gdańsk"
