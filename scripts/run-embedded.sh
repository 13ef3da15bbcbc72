#!/usr/bin/env bash
# Starts Kontakt on the embedded default: migrates, loads the demo data, then
# runs the web server, a Celery worker and Celery beat until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
ADDR=${ADDR:-127.0.0.1:8000}

"$BIN/python" manage.py migrate --no-input -v0
"$BIN/python" manage.py kontakt_demo
# The statistics' working-day calendar (the worker keeps it current after this).
"$BIN/python" manage.py stats_refresh -v0

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

"$BIN/celery" -A kontakt worker --loglevel=INFO --concurrency=2 --pool=threads &
pids+=($!)
"$BIN/celery" -A kontakt beat --loglevel=INFO --schedule=var/celerybeat-schedule &
pids+=($!)
echo
echo "Kontakt: http://$ADDR/  (back office: http://$ADDR/handlaggning/, admin: http://$ADDR/admin/)"
"$BIN/python" manage.py runserver "$ADDR" &
pids+=($!)
wait -n "${pids[@]}"
