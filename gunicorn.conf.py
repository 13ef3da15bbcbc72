"""gunicorn's settings for Kontakt's web server. gunicorn reads this file
from its working directory: the image's /app (the Dockerfile's CMD) and the
repository, where bench/intake.py starts it. The command line and
GUNICORN_CMD_ARGS override any of them.

Sizing (README, "Public intake under load"): a request is Python work in
the worker between short waits for PostgreSQL and Redis, which on a small
server run on the same cores. Synchronous workers, two per core: while one
waits for the database another has the core, and no more than that, since
every further worker only adds switching and memory (about 100 MB each).
Threads (WEB_THREADS > 1, gunicorn's gthread worker) do not add throughput
to Python work that holds the interpreter lock; keep 1 unless requests wait
on something slow outside the machine."""

from __future__ import annotations

import os


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the
    host's count where the scheduler tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# WEB_CONCURRENCY is the variable gunicorn and most platforms use for it.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores())
threads = int(os.environ.get("WEB_THREADS") or 1)
# The workers' heartbeat files in memory rather than on a container's
# overlay file system, where a slow disk can stall them (gunicorn's advice).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
