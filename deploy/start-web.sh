#!/bin/sh
# The web container's command: check the settings, bring the schema up to date, serve.
# Extra arguments go to gunicorn (e.g. --bind 127.0.0.1:8001 --workers 2).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."

python - <<'PY'
import sys

from backend.config import ConfigError, load_config

try:
    load_config()
except ConfigError as exc:
    sys.exit(f"limber: {exc}")
PY

if [ "${MIGRATE_ON_START:-1}" != "0" ]; then
    flask --app backend db upgrade
fi

exec gunicorn --config "$here/gunicorn.conf.py" "$@"
