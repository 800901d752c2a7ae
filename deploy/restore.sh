#!/usr/bin/env bash
# Restore the database and the uploaded files from backups made by deploy/backup.sh.
#
#   deploy/restore.sh [--noinput] [DB_BACKUP_FILE] [MEDIA_BACKUP_FILE]
#
# Without a file, the newest backup of its kind in DJANGO_BACKUP_DIR is restored. A file is a path
# (to a copy anywhere) or a name in DJANGO_BACKUP_DIR; pass "" for DB_BACKUP_FILE to name only
# the media file. The database is replaced by the backup's (PostgreSQL: in one transaction, into
# a fresh, empty database or over the existing one); every file of the media backup is written
# back over the one of the same name (a folder or a bucket: DJANGO_MEDIA_STORAGE). Stop every web
# instance, worker and beat first.
# --noinput: do not ask before overwriting (for scripts).
set -euo pipefail

usage() {
    echo "usage: deploy/restore.sh [--noinput] [DB_BACKUP_FILE] [MEDIA_BACKUP_FILE]" >&2
    exit 2
}

noinput=false
files=()
for arg in "$@"; do
    case "$arg" in
        --noinput) noinput=true ;;
        -h | --help) usage ;;
        -*) echo "unknown option: $arg" >&2; usage ;;
        *) files+=("$arg") ;;
    esac
done
[ "${#files[@]}" -le 2 ] || usage
db_file="${files[0]:-}"
media_file="${files[1]:-}"
# A path is taken from where the script was called, before moving to the project folder.
[ -z "$db_file" ] || [ ! -f "$db_file" ] || db_file="$(realpath "$db_file")"
[ -z "$media_file" ] || [ ! -f "$media_file" ] || media_file="$(realpath "$media_file")"

cd "$(dirname "$0")/.."

# The options that pick a backup: a path or a name in the backup folder (else the newest), and
# --uncompress for a gzip file (backup.sh writes only those, so the newest is looked for among them).
source_args() {
    local file="$1"
    if [ -z "$file" ]; then
        echo "--uncompress"
        return
    fi
    if [ -f "$file" ]; then
        printf '%s\n' "--input-path=$file"
    else
        printf '%s\n' "--input-filename=$file"
    fi
    case "$file" in
        *.gz) echo "--uncompress" ;;
    esac
}

if [ "$noinput" = false ]; then
    echo "This replaces the database and the uploaded files with the backup:"
    echo "  database: ${db_file:-the newest database backup}"
    echo "  media:    ${media_file:-the newest media backup}"
    read -r -p "Continue? [y/N] " answer || answer=""
    case "$answer" in
        y | Y | yes | YES) ;;
        *) echo "Nothing restored." >&2; exit 1 ;;
    esac
fi

mapfile -t db_args < <(source_args "$db_file")
mapfile -t media_args < <(source_args "$media_file")

python manage.py dbrestore --noinput "${db_args[@]}"
python manage.py mediarestore --noinput --replace "${media_args[@]}"
echo "Restored the database and the uploaded files."
