#!/usr/bin/env bash
# Back up the database and the uploaded files (KPI evidence: MEDIA_ROOT, or the bucket) into
# DJANGO_BACKUP_DIR, both gzip-compressed, then delete all but the newest DJANGO_BACKUP_KEEP
# backups of each kind. Runs with the settings of the environment (DJANGO_SETTINGS_MODULE,
# DATABASE_URL, DJANGO_MEDIA_ROOT, ...) and whatever `python` is first on PATH.
# For PostgreSQL, pg_dump (of the server's major version) must be on PATH too.
#
#   deploy/backup.sh            e.g. daily from cron; a failure exits non-zero
set -euo pipefail

cd "$(dirname "$0")/.."

if [ "$#" -gt 0 ]; then
    echo "usage: deploy/backup.sh   (no arguments; see README, \"Backup and restore\")" >&2
    exit 2
fi

python manage.py dbbackup --compress --clean --noinput
# An installation without any upload yet has no media folder: back up an empty one. (A bucket,
# DJANGO_MEDIA_STORAGE=s3, is read as it is.)
if [ "${DJANGO_MEDIA_STORAGE:-filesystem}" = filesystem ]; then
    mkdir -p "${DJANGO_MEDIA_ROOT:-media}"
fi
python manage.py mediabackup --compress --clean --noinput
