"""gunicorn settings for `make bench`: the project's own file, served on loopback, with
the benchmark's counters around the app. Everything else (workers, preload, recycling,
logging) is what deploy/gunicorn.conf.py says."""

import os
from pathlib import Path

_deploy = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"
exec(compile(_deploy.read_text(), str(_deploy), "exec"))  # noqa: S102 - our own file

wsgi_app = "bench.server:app()"
bind = [f"127.0.0.1:{os.environ['BENCH_PORT']}"]


def worker_exit(server, worker):  # type: ignore[no-untyped-def]
    from bench.server import flush

    flush()
