"""Most kinds of schema operation at once, on tables that hold rows."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("replayapp", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="shelf", old_name="name", new_name="label"),
        migrations.AlterModelTableComment(name="shelf", table_comment="Shelves of oak"),
        migrations.AlterField(
            model_name="book", name="title", field=models.CharField(db_index=True, max_length=200)
        ),
        migrations.AlterField(
            model_name="book", name="pages", field=models.PositiveIntegerField(default=0)
        ),
        migrations.AddField(
            model_name="book",
            name="isbn",
            field=models.CharField(max_length=13, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="book",
            name="summary",
            field=models.TextField(default="none yet", db_comment="What it is about"),
        ),
        migrations.AddField(model_name="book", name="published", field=models.DateField(null=True)),
        migrations.RemoveField(model_name="book", name="legacy"),
        migrations.AddIndex(
            model_name="book",
            index=models.Index(
                fields=["shelf", "-pages"],
                condition=models.Q(pages__gt=0),
                name="replay_book_shelf_pages",
            ),
        ),
        migrations.AddConstraint(
            model_name="book",
            constraint=models.CheckConstraint(
                condition=models.Q(pages__lte=10000), name="replay_book_pages_max"
            ),
        ),
        migrations.AddConstraint(
            model_name="book",
            constraint=models.UniqueConstraint(
                fields=["shelf", "title"], name="replay_book_title_per_shelf"
            ),
        ),
        migrations.AlterField(
            model_name="reader", name="name", field=models.CharField(max_length=80, null=True)
        ),
        migrations.CreateModel(
            name="Loan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("due", models.DateTimeField()),
                (
                    "book",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="replayapp.book"
                    ),
                ),
                (
                    "reader",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="replayapp.reader",
                    ),
                ),
            ],
            options={"unique_together": {("book", "due")}},
        ),
        migrations.RunSQL(
            sql=[
                "CREATE VIEW replayapp_shelf_size AS "
                "SELECT shelf_id, count(*) AS books FROM replayapp_book GROUP BY shelf_id",
                ("COMMENT ON COLUMN replayapp_book.isbn IS %s", ["ISBN-13, 100% checked"]),
            ],
            reverse_sql=["DROP VIEW replayapp_shelf_size"],
        ),
    ]
