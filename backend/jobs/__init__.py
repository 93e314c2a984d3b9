"""Background jobs on Huey: one queue, SQLite storage under instance/ or Redis.

    from backend.jobs import enqueue, job

    @job()
    def send_it(thing_id: str) -> None: ...

    enqueue(send_it, str(thing.id))   # after the commit that the task reads

A task runs in its own app context, carries the request id of whatever enqueued it
(so its log lines lead back to that request), is retried with backoff and, when it
gives up, is recorded for `flask jobs failed` and /readyz. Tasks must be idempotent:
the engine may run one twice (a retry after a crash, a second worker); each task
checks a key in the database before doing anything that shows.
"""

from backend.jobs.engine import enqueue, huey, init_app, job, periodic

__all__ = ["enqueue", "huey", "init_app", "job", "periodic"]
