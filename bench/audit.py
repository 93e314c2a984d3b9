"""`make audit`: Lighthouse on the app shell and the signed-in screens, against targets.

    python -m bench.audit            # starts its own gunicorn on a free port, demo data

A fresh SQLite database in a temporary folder gets the migrations, the built-in
routines and the demo accounts (as `make run`); gunicorn serves it with the project's
own config. `bench/audit.mjs` drives Lighthouse 12.2 (pinned in package.json) with
Debian's Chromium, mobile preset. Each score is printed beside its target with "holds"
or "misses"; the exit status is 1 when any target misses.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# (what, key in a page's result, target, higher is better)
TARGETS: list[tuple[str, str, float, bool]] = [
    ("performance", "performance", 95, True),
    ("TBT ms", "tbt_ms", 200, False),
    ("accessibility", "accessibility", 100, True),
    ("best practices", "best-practices", 100, True),
    ("SEO", "seo", 100, True),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workdir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'audit.db'}",
        "JOBS_STORAGE": "memory",
        "VAPID_KEY_FILE": str(workdir / "vapid_private.pem"),
        "RATELIMIT_ENABLED": "false",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    log = (workdir / "server.log").open("w")
    for command in (["db", "upgrade"], ["seed"], ["demo"]):
        subprocess.run(
            [str(BIN / "flask"), "--app", "backend", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 600  # generous: the machine may be busy
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = (workdir / "server.log").read_text(encoding="utf-8")[-3000:]
            raise SystemExit(f"gunicorn exited with {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as res:
                if res.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    tail = (workdir / "server.log").read_text(encoding="utf-8")[-3000:]
    raise SystemExit(f"gunicorn did not answer /healthz within 600 s:\n{tail}")


def verdict(value: float, target: float, higher: bool) -> str:
    return "holds" if (value >= target if higher else value <= target) else "misses"


def table(pages: list[dict[str, Any]]) -> tuple[str, bool]:
    lines = [
        "| page | " + " | ".join(t[0] for t in TARGETS) + " |",
        "|---|" + "---|" * len(TARGETS),
    ]
    all_hold = True
    for page in pages:
        cells = []
        for _label, key, target, higher in TARGETS:
            value = page["tbt_ms"] if key == "tbt_ms" else page["scores"][key]
            word = verdict(value, target, higher)
            all_hold = all_hold and word == "holds"
            sign = "≥" if higher else "≤"
            cells.append(f"{value} ({sign} {target:g}: {word})")
        lines.append(f"| {page['name']} | " + " | ".join(cells) + " |")
    return "\n".join(lines), all_hold


def main() -> int:
    node = os.environ.get("NODE", "node")
    if not (ROOT / "node_modules" / "lighthouse").is_dir():
        print("Lighthouse is missing: run `npm ci` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="limber-audit-") as tmp:
        port = free_port()
        server = start_server(Path(tmp), port)
        try:
            out = subprocess.run(
                [node, "bench/audit.mjs", "--base", f"http://127.0.0.1:{port}"],
                cwd=ROOT,
                env={
                    **os.environ,
                    "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
                },
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    if out.returncode != 0:
        print(out.stdout, out.stderr, file=sys.stderr)
        return 2
    pages = json.loads(out.stdout.strip().splitlines()[-1])["pages"]
    text, all_hold = table(pages)
    version = pages[0]["lighthouse"] if pages else "?"
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    print(f"Lighthouse {version}, mobile preset, Chromium at {chrome}")
    print(text)
    print()
    for page in pages:
        print(
            f"{page['name']}: FCP {page['fcp_ms']} ms, LCP {page['lcp_ms']} ms, CLS {page['cls']}, "
            f"final URL {page['final_url']}"
        )
        for f in page["failing"]:
            print(f"  below 0.9: {f['category']} / {f['id']} {f['value']}")
    print("every target holds" if all_hold else "some targets miss (see above)")
    return 0 if all_hold else 1


if __name__ == "__main__":
    raise SystemExit(main())
