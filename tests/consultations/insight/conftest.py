"""Fixtures for themes: a Gdańsk project with ideas on three subjects, tasks run eagerly."""

from __future__ import annotations

import pytest

from ratusz.accounts.models import User
from ratusz.celery import app
from ratusz.consultations.methods.ideation.models import Idea
from ratusz.consultations.methods.ideation.services import post_idea
from tests.consultations.participation.notifications.conftest import person

IDEAS = [
    ("Więcej ławek w parku", "Ławki w cieniu, bo seniorzy nie mają gdzie usiąść."),
    ("Ławki przy placu zabaw", "Rodzice potrzebują ławek w parku obok placu zabaw."),
    ("Nowe ławki i kosze w parku", "Ławki są połamane, kosze przepełnione."),
    ("Ścieżka rowerowa na Grunwaldzkiej", "Bezpieczna ścieżka rowerowa do centrum."),
    ("Rowerowa trasa do szkoły", "Dzieci jeżdżą rowerem do szkoły, potrzebna ścieżka rowerowa."),
    ("Trasa rowerowa wzdłuż rzeki", "Ścieżka rowerowa nad Motławą."),
    ("Więcej drzew na ulicy", "Posadzić drzewa, latem jest za gorąco."),
    ("Drzewa przy szkole", "Drzewa dają cień i czyste powietrze."),
    ("Drzewa zamiast parkingu", "Zieleń i drzewa zamiast betonu."),
]


@pytest.fixture(autouse=True)
def _eager_tasks(monkeypatch) -> None:
    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def ideas(ideation_phase) -> list[Idea]:
    # One author per idea: the portal slows down anyone posting many ideas at once.
    return [
        post_idea(
            author=person(f"autor{n}@example.com"),
            phase=ideation_phase,
            title=title,
            body=f"<p>{body}</p>",
        )
        for n, (title, body) in enumerate(IDEAS)
    ]


@pytest.fixture
def staff(city_admin, in_city) -> User:
    return city_admin
