#!/bin/sh
# Restore an archive made by ops/backup.sh into an EMPTY PostgreSQL database.
#
#   DATABASE_URL=postgres://user:pass@host:5432/finsam_restored ops/restore.sh FILE
#
# Without DATABASE_URL the libpq variables are used (PGHOST, PGUSER, PGDATABASE, ...). Create the
# database first (createdb, or CREATE DATABASE). The restore runs in one transaction and stops at
# the first error, so a database that is not empty, or a damaged archive, leaves the target as it
# was. Ownership and grants are not restored: the connecting user owns what it restores.
# Needs no Django, no manage.py.
set -eu

if [ $# -ne 1 ] || [ ! -r "$1" ]; then
  echo "usage: DATABASE_URL=postgres://... $0 FILE   (FILE: an archive made by ops/backup.sh)" >&2
  exit 2
fi

pg_restore --exit-on-error --single-transaction --no-owner --no-privileges \
  ${DATABASE_URL:+"--dbname=$DATABASE_URL"} "$1"
echo "restored $1"
