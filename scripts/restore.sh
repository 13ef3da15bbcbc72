#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an EMPTY database and an
# empty media folder, then checks the access log's hash chain on the copy:
#   scripts/restore.sh DUMP MEDIA_TAR DATABASE_URL MEDIA_ROOT
# DATABASE_URL names the new, empty database (createdb it first); MEDIA_ROOT
# the folder the attachments go to (missing or empty). It refuses a database
# that has tables and a folder that has files, so it never writes over a
# running installation. A checksum file beside
# the dump (kontakt-<time>.sha256) is checked first. It needs pg_restore and
# psql of the dump's major version or newer, and Kontakt's Python
# (PYTHON, default .venv/bin/python, else python) for manage.py.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "restore: $*" >&2; exit 1; }

[ $# -eq 4 ] || die "usage: scripts/restore.sh DUMP MEDIA_TAR DATABASE_URL MEDIA_ROOT"
dump=$1 tarball=$2 url=$3 media=$4
case "$url" in
postgres://* | postgresql://*) ;;
pgsql://* | psql://*) url="postgresql://${url#*://}" ;;
*) die "$url is not a PostgreSQL URL" ;;
esac
[ -f "$dump" ] || die "no dump at $dump"
[ -f "$tarball" ] || die "no media archive at $tarball"
if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python; fi
fi

sums="${dump%.dump}.sha256"
if [ -f "$sums" ]; then
    (cd "$(dirname "$sums")" && sha256sum --check --quiet "$(basename "$sums")") || die "the files do not match $sums"
fi

tables=$(psql --no-psqlrc --quiet --tuples-only --no-align --dbname="$url" --command="
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'")
[ "$tables" = 0 ] || die "the database is not empty ($tables tables, views or sequences): restore into a new one"
if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then
    die "$media is not empty: restore the attachments into a new folder"
fi

# One transaction: a failed restore leaves the database empty.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"
mkdir -p "$media"
tar --extract --gzip --file="$tarball" --directory="$media"

DATABASE_URL=$url MEDIA_ROOT=$media "$PYTHON" manage.py records_verify_log
# The address without the user and password.
where=${url#*://}
echo "Restored into ${where#*@}, attachments in $media."
