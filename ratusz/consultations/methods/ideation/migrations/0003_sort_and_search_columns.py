"""Stored sort keys (the trending hot rank, the number of reactions) and the search vector,
with an index per sort of the project page and trigram indexes for parts of words.

PostgreSQL computes the generated columns for the existing rows while adding them, so no data
migration is needed to fill them."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.expressions
from django.db import migrations, models

import ratusz.consultations.methods.ideation.models


class Migration(migrations.Migration):
    dependencies = [
        ("ideation", "0002_default_statuses"),
        ("tenants", "0014_search_functions"),
    ]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="reaction_count",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.CombinedExpression(
                    models.F("likes"), "+", models.F("dislikes")
                ),
                output_field=models.PositiveIntegerField(),
            ),
        ),
        migrations.AddField(
            model_name="idea",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.RawSQL(
                    "setweight(to_tsvector('simple'::regconfig, public.ratusz_unaccent(title)), 'A') || setweight(to_tsvector('english'::regconfig, public.ratusz_unaccent(title)), 'A') || setweight(to_tsvector('simple'::regconfig, public.ratusz_unaccent(body)), 'B') || setweight(to_tsvector('english'::regconfig, public.ratusz_unaccent(body)), 'B')",
                    (),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddField(
            model_name="idea",
            name="trending",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.expressions.RawSQL(
                    "log(10, likes + 2 * comment_count + 1) + extract(epoch from (created_at - '2024-01-01 00:00:00+00'::timestamptz)) / 172800",
                    (),
                ),
                output_field=models.FloatField(),
            ),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(fields=["project", "-trending", "-id"], name="idea_sort_trending"),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(fields=["project", "-created_at", "-id"], name="idea_sort_newest"),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(
                fields=["project", "-reaction_count", "-id"], name="idea_sort_reacted"
            ),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=models.Index(
                fields=["project", "-comment_count", "-id"], name="idea_sort_commented"
            ),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="idea_search_vector"
            ),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    ratusz.consultations.methods.ideation.models.Folded("title"),
                    name="gin_trgm_ops",
                ),
                name="idea_title_trgm",
            ),
        ),
        migrations.AddIndex(
            model_name="idea",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    ratusz.consultations.methods.ideation.models.Folded("body"), name="gin_trgm_ops"
                ),
                name="idea_body_trgm",
            ),
        ),
    ]
