"""The default idea statuses every city starts with (cities can rename them and add theirs)."""

from django.db import migrations

DEFAULTS = [
    # code, colour, final, {pl, en} name, {pl, en} description
    ("proposed", "#4a4a4a", False, {"pl": "Zgłoszony", "en": "Proposed"},
     {"pl": "Pomysł czeka na ocenę urzędu.", "en": "The idea awaits the city's review."}),
    ("under-consideration", "#7a4d00", False, {"pl": "W analizie", "en": "Under consideration"},
     {"pl": "Urząd analizuje pomysł.", "en": "The city is looking into the idea."}),
    ("accepted", "#1d6b2f", True, {"pl": "Przyjęty", "en": "Accepted"},
     {"pl": "Urząd przyjął pomysł do realizacji.", "en": "The city will carry the idea out."}),
    ("implemented", "#0b5394", True, {"pl": "Zrealizowany", "en": "Implemented"},
     {"pl": "Pomysł został zrealizowany.", "en": "The idea has been carried out."}),
    ("rejected", "#a4001d", True, {"pl": "Odrzucony", "en": "Rejected"},
     {"pl": "Urząd nie zrealizuje pomysłu; uzasadnienie jest w odpowiedzi.",
      "en": "The city will not carry the idea out; the answer says why."}),
]  # fmt: skip


def create(apps, schema_editor):
    IdeaStatus = apps.get_model("ideation", "IdeaStatus")
    for position, (code, color, final, name, description) in enumerate(DEFAULTS):
        IdeaStatus.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "color": color,
                "position": position,
                "is_default": code == "proposed",
                "is_final": final,
            },
        )


def remove(apps, schema_editor):
    IdeaStatus = apps.get_model("ideation", "IdeaStatus")
    IdeaStatus.objects.filter(code__in=[d[0] for d in DEFAULTS], ideas__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("ideation", "0001_ideas")]

    operations = [migrations.RunPython(create, remove)]
