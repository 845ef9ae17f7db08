"""gunicorn's settings for Dalil, read by the README's command (`gunicorn config.wsgi -c config/gunicorn.conf.py
--bind 127.0.0.1:8001`), the systemd unit and docker-compose.yml.

One synchronous worker per core this process may run on: a request spends its time in Python (PostgreSQL answers
each statement in well under a millisecond), so more workers than cores only take turns on them, each evicting the
others from the processor's caches. On 2 cores, 2 workers served about a quarter more requests a second than 4 at
16 users, with a lower p95 (bench/load.py; docs/operations.md). DALIL_WEB_WORKERS sets another number, e.g. where
the database is on another continent and workers wait on it.

Uploads and downloads stream through a worker (the proxy spools neither to its disk), so a slow client holds one
worker while it lasts: see docs/operations.md for the proxy's time limits that bound it.
"""

import os

workers = int(os.environ.get("DALIL_WEB_WORKERS") or len(os.sched_getaffinity(0)))
timeout = 120
