"""The state after the last migration; each migration after the first adds an indexed column."""

from django.db import models


class BenchNote(models.Model):
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    step_2 = models.CharField(max_length=40, blank=True, default="", db_index=True)
    step_3 = models.CharField(max_length=40, blank=True, default="", db_index=True)
    step_4 = models.CharField(max_length=40, blank=True, default="", db_index=True)

    def __str__(self) -> str:
        return self.title
