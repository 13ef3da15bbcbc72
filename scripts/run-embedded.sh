#!/usr/bin/env bash
# Starts Kontakt on the embedded default: migrates, loads the demo data, then
# runs the web server, a Celery worker and Celery beat until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
# ADDR is where the development server listens ("port" or "host:port");
# SITE_URL, the address in e-mails and the citizen sign-in's return address,
# follows it unless set.
ADDR=${ADDR:-127.0.0.1:8000}
case "$ADDR" in *:*) ;; *) ADDR="127.0.0.1:$ADDR" ;; esac
site_host=${ADDR%:*}
case "$site_host" in 0.0.0.0 | "[::]" | "") site_host=127.0.0.1 ;; esac
export SITE_URL=${SITE_URL:-http://$site_host:${ADDR##*:}}

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
echo "Kontakt: $SITE_URL/  (back office: $SITE_URL/handlaggning/, admin: $SITE_URL/admin/)"
"$BIN/python" manage.py runserver "$ADDR" &
pids+=($!)
wait -n "${pids[@]}"
