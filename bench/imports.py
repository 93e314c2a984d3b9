"""The import scenario: a Strava-style archive of many activities through the whole job.

Reports the wall time from upload to the last file and the worker process's resident
memory: before the job and its peak while the job ran (sampled every 20 ms from
/proc/self/statm, so tracing does not slow the job being timed).
"""

from __future__ import annotations

import io
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from tests.imports.files import strava_archive

TARGET_S = 60.0


@dataclass
class ImportFigures:
    activities: int
    archive_kib: float
    seconds: float
    rss_before_mib: float
    rss_peak_mib: float
    outcome: dict[str, int]


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


class _PeakSampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = _rss_mib()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, _rss_mib())


def measure_import(app: Any, runner: Any, activities: int) -> ImportFigures:
    data = strava_archive(activities)
    app.config["IMPORTS_RUN"] = "inline"  # the job runs in this process, measured here
    before = _rss_mib()
    sampler = _PeakSampler()
    sampler.start()
    started = time.perf_counter()
    response = runner.post(
        "/api/v1/imports",
        data={"files": [(io.BytesIO(data), "export.zip")]},
        content_type="multipart/form-data",
    )
    body = response.get_json()
    deadline = time.monotonic() + 600
    while body.get("status") not in ("done", "failed") and time.monotonic() < deadline:
        body = runner.get(f"/api/v1/imports/{body['id']}").get_json()
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    peak = max(sampler.peak, _rss_mib())
    return ImportFigures(activities, len(data) / 1024, seconds, before, peak, body["counts"])


def report(f: ImportFigures) -> str:
    verdict = "within" if f.seconds < TARGET_S else "OVER"
    return (
        f"import of a {f.activities}-activity archive ({f.archive_kib:.0f} KiB): "
        f"{f.seconds:.1f} s ({verdict} the {TARGET_S:.0f} s target), "
        f"worker RSS {f.rss_before_mib:.0f} MiB before, {f.rss_peak_mib:.0f} MiB peak, "
        f"outcomes {f.outcome}"
    )
