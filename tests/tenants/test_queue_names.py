"""Tasks are queued by their registered name: every name the code queues (and beat schedules)
belongs to a task, found in a process that has not imported the task's module yet."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from ratusz.celery import app
from ratusz.tenants import spares
from ratusz.tenants.queue import task_named

ROOT = Path(__file__).resolve().parents[2]
QUEUEING = {"enqueue_on_commit", "enqueue_for_city", "task_named"}


def names_queued_in_the_code() -> set[str]:
    names = set()
    for path in (ROOT / "ratusz").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if called not in QUEUEING:
                continue
            for arg in node.args:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and "." in arg.value
                ):
                    names.add(arg.value)
    return names


def test_every_name_queued_or_scheduled_is_a_registered_task():
    queued = names_queued_in_the_code()
    assert {"billing.process_stripe_event", "platform.export_city"} <= queued
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    fanned_out = {
        str(entry["args"][0])
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "tenants.fan_out"
    }
    for name in queued | scheduled | fanned_out | {spares.FILL_TASK}:
        assert task_named(name).name == name
        assert name in app.tasks


def test_a_fresh_process_finds_a_task_by_name_before_its_module_is_imported():
    # Nothing in this process has imported billing's tasks module: queuing by name finds it.
    probe = (
        "import sys, django; django.setup();"
        "assert 'ratusz.billing.tasks' not in sys.modules;"
        "from ratusz.tenants.queue import task_named;"
        "print(task_named('billing.process_stripe_event').name)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ratusz.settings.test"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "billing.process_stripe_event"
