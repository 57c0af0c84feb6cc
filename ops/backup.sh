#!/bin/sh
# Back up the service's PostgreSQL database into one custom-format archive (pg_dump -Fc).
#
#   DATABASE_URL=postgres://user:pass@host:5432/finsam ops/backup.sh [FILE]
#
# Without DATABASE_URL the libpq variables are used (PGHOST, PGUSER, PGDATABASE, ...), as inside
# compose's db container. FILE defaults to finsam-<UTC time>.dump in the current directory. The
# archive is written next to FILE and renamed only once pg_restore can read its table of
# contents, so FILE is never a half-written backup. Prints FILE. Needs no Django, no manage.py.
set -eu

file=${1:-finsam-$(date -u +%Y%m%dT%H%M%SZ).dump}
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

pg_dump --format=custom --no-owner --no-privileges ${DATABASE_URL:+"--dbname=$DATABASE_URL"} --file="$partial"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$file"
echo "$file"
