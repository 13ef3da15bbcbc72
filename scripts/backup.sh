#!/usr/bin/env bash
# Backs up Kontakt: the PostgreSQL database named by DATABASE_URL (pg_dump's
# custom format) and the attachments under MEDIA_ROOT (a tar), into DIR
# (default: the current folder), as three files with the same date and time:
#   kontakt-<UTC time>.dump        the database
#   kontakt-<UTC time>-media.tar.gz the attachments
#   kontakt-<UTC time>.sha256      their checksums (scripts/restore.sh checks them)
# Run it with Kontakt's own DATABASE_URL and MEDIA_ROOT. It needs pg_dump of the
# server's major version or newer. The files hold personal data: they are
# written readable by their owner only; encrypt them before they leave the
# server (README, "Backups and restore"). The secrets (SECRET_KEY,
# KONTAKT_PIN_HASH_KEY, …) are not in them: keep those apart.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "backup: $*" >&2; exit 1; }

dir=${1:-.}
[ $# -le 1 ] || die "usage: scripts/backup.sh [DIR]"
url=${DATABASE_URL:-}
# django-environ's other names for PostgreSQL; libpq knows postgres:// and postgresql://.
case "$url" in
postgres://* | postgresql://*) ;;
pgsql://* | psql://*) url="postgresql://${url#*://}" ;;
"") die "DATABASE_URL is not set: run with Kontakt's environment" ;;
*) die "DATABASE_URL is not PostgreSQL; the embedded SQLite default is for development only" ;;
esac
media=${MEDIA_ROOT:-var/media}

umask 077
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="$dir/kontakt-$stamp.dump"
tarball="$dir/kontakt-$stamp-media.tar.gz"

# The database first, then the files: an attachment saved in between is a
# file without a row (harmless), never a row without its file.
pg_dump --format=custom --no-owner --no-privileges --file="$dump" --dbname="$url"
if [ -d "$media" ]; then
    tar --create --gzip --file="$tarball" --directory="$media" .
else
    tar --create --gzip --file="$tarball" --files-from=/dev/null
fi
(cd "$dir" && sha256sum "$(basename "$dump")" "$(basename "$tarball")" >"kontakt-$stamp.sha256")

echo "$dump"
echo "$tarball"
echo "$dir/kontakt-$stamp.sha256"
