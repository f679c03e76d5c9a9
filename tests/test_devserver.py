"""The README's run command prepares a working product: database, migrations, demo cities."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def test_the_run_command_prepares_the_demo_cities(tmp_path):
    database = f"ratusz_devcheck_{uuid.uuid4().hex[:8]}"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "RATUSZ_", "REDIS_", "CELERY_", "PUBLIC_"))
    }
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        RATUSZ_DATA_DIR=str(tmp_path),
        RATUSZ_TASKS_EAGER="1",
        REDIS_URL="",
    )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ratusz.devserver", "--check", "--port", "8765"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "http://gdansk.localhost:8765" in result.stdout
        assert "http://springfield.localhost:8765" in result.stdout
        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={database}") as conn:
            rows = conn.execute(
                "SELECT slug, status, languages FROM tenants_city ORDER BY slug"
            ).fetchall()
            assert rows == [("gdansk", "active", ["pl", "en"]), ("springfield", "active", ["en"])]
            title = conn.execute(
                "SELECT welcome_title FROM gdansk.consultations_portalsettings"
            ).fetchone()
            assert title is not None
            assert "Gdańsk" in title[0]["pl"]
        # Running it again changes nothing and says so.
        again = subprocess.run(
            [sys.executable, "-m", "ratusz.devserver", "--check", "--port", "8765"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert again.returncode == 0, again.stdout + again.stderr
        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={database}") as conn:
            count = conn.execute("SELECT count(*) FROM tenants_city").fetchone()
            assert count == (2,)
    finally:
        with psycopg.connect(
            "host=127.0.0.1 user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
