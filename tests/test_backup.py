"""Backup and restore of the database and the uploaded files (django-dbbackup; README, "Backup
and restore"): real round trips through the manage.py commands and the deploy/ scripts.

Under pytest-django the SQLite test database lives in memory, where dbbackup's SQLite connector
can dump it but not restore it (it copies the backup over the database *file*). So the SQLite
tests move the default connection onto a file for their duration: a copy of the migrated, empty
test database. The PostgreSQL test restores a dump into a freshly created second database."""

import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, connections

from partnerships.models import Partner, Partnership
from strategy.models import Measurement
from tests import factories
from tests.services import PRODUCTION_ENV, process_env, require

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE = b"%PDF-1.4\n12 SMEs met buyers in Canada; list of meetings attached.\n"


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def media(tmp_path, settings):
    """Uploaded files on disk (MEDIA_ROOT), as in production, instead of the test's memory."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def backups(tmp_path, monkeypatch):
    """The backup folder: dbbackup reads STORAGES["dbbackup"] once, at import, into its own
    settings module; the test's folder replaces the location there (the rest is the portal's)."""
    from dbbackup import settings as dbbackup_settings

    folder = tmp_path / "backups"
    options = {**dbbackup_settings.STORAGE_OPTIONS, "location": str(folder)}
    monkeypatch.setattr(dbbackup_settings, "STORAGE_OPTIONS", options)
    return folder


@pytest.fixture
def sqlite_file(tmp_path, transactional_db):
    """The default connection on a SQLite file (see the module's docstring) for the test."""
    conn = connections["default"]
    assert conn.vendor == "sqlite", "mark the test `sqlite`: it runs in make test's SQLite run"
    conn.ensure_connection()
    memory = conn.connection
    path = tmp_path / "portal.sqlite3"
    with closing(sqlite3.connect(path)) as target:
        memory.backup(target)
    in_memory_name = conn.settings_dict["NAME"]
    conn.connection = None  # closing an in-memory database would destroy it: set it aside
    conn.settings_dict["NAME"] = str(path)
    try:
        yield path
    finally:
        conn.close()
        conn.settings_dict["NAME"] = in_memory_name
        conn.connection = memory


def reported_value() -> Measurement:
    """A partnership whose coordinator reported a KPI value with an evidence file."""
    coordinator = factories.cluster("Cluster Alpha")
    partnership = factories.partnership("ALPHA", coordinator=coordinator)
    plan = factories.make_strategy_with_kpi(partnership)
    return Measurement.objects.create(
        kpi=plan.kpi,
        period_end=date(2025, 3, 31),
        partner=Partner.objects.get(partnership=partnership),
        value=Decimal(12),
        evidence_file=ContentFile(EVIDENCE, name="meetings.pdf"),
    )


def assert_restored(measurement: Measurement, media_root: Path) -> None:
    partnership = Partnership.objects.get(acronym="ALPHA")
    assert partnership.name == "Test"
    assert not Partnership.objects.filter(acronym="LATER").exists()
    restored = Measurement.objects.get(pk=measurement.pk)
    assert restored.value == Decimal(12)
    assert restored.evidence_file.name == measurement.evidence_file.name
    assert (media_root / restored.evidence_file.name).read_bytes() == EVIDENCE


def change_everything(measurement: Measurement, media_root: Path) -> None:
    """What a restore must undo: an edit, a deletion (row and file), a row added later."""
    Partnership.objects.filter(acronym="ALPHA").update(name="Renamed after the backup")
    evidence = measurement.evidence_file
    evidence.storage.delete(evidence.name)
    Measurement.objects.filter(pk=measurement.pk).delete()
    factories.partnership("LATER")
    assert not (media_root / evidence.name).exists()


# --- the commands (SQLite) ------------------------------------------------------------------------


@pytest.mark.sqlite
def test_database_and_evidence_files_come_back_after_a_restore(sqlite_file, media, backups):
    measurement = reported_value()
    assert measurement.evidence_file.name.startswith("evidence/")

    call_command("dbbackup", "--compress", "--noinput", verbosity=0)
    call_command("mediabackup", "--compress", "--noinput", verbosity=0)

    made = sorted(p.name for p in backups.iterdir() if not p.name.endswith(".metadata"))
    assert len(made) == 2
    db_backup, media_backup = made
    assert db_backup.startswith("escp-db-default-") and db_backup.endswith(".sqlite3.gz")
    assert media_backup.startswith("escp-media-") and media_backup.endswith(".tar.gz")
    with tarfile.open(backups / media_backup) as archive:
        assert archive.extractfile(measurement.evidence_file.name).read() == EVIDENCE
    # Nobody but the portal's own user may read a dump (personal data, password hashes).
    for backup in backups.iterdir():
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600, backup.name
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700

    change_everything(measurement, media)

    call_command("dbrestore", "--noinput", "--uncompress", verbosity=0)
    call_command("mediarestore", "--noinput", "--uncompress", "--replace", verbosity=0)

    assert_restored(measurement, media)


@pytest.mark.sqlite
def test_cleanup_keeps_the_newest_backups_only(sqlite_file, media, backups, monkeypatch):
    from dbbackup import settings as dbbackup_settings

    assert dbbackup_settings.CLEANUP_KEEP == django_settings.DBBACKUP_CLEANUP_KEEP
    monkeypatch.setattr(dbbackup_settings, "CLEANUP_KEEP", 2)
    monkeypatch.setattr(dbbackup_settings, "CLEANUP_KEEP_MEDIA", 2)
    backups.mkdir()
    old = [f"escp-db-default-2020-01-0{day}-030000.sqlite3.gz" for day in (1, 2, 3)]
    old += [f"escp-media-2020-01-0{day}-030000.tar.gz" for day in (1, 2, 3)]
    for name in old:
        (backups / name).write_bytes(b"old")

    call_command("dbbackup", "--compress", "--clean", "--noinput", verbosity=0)
    call_command("mediabackup", "--compress", "--clean", "--noinput", verbosity=0)

    kept = sorted(p.name for p in backups.iterdir() if not p.name.endswith(".metadata"))
    # The new backup of each kind and the newest old one.
    assert len(kept) == 4
    assert old[2] in kept and old[5] in kept


# --- the scripts (SQLite, production settings) ----------------------------------------------------


def run_script(script, *args, env):
    result = subprocess.run(
        ["bash", str(ROOT / "deploy" / script), *args],
        cwd="/",
        env=process_env(env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.sqlite
def test_deploy_scripts_back_up_and_restore_under_production_settings(sqlite_file, media, tmp_path):
    folder = tmp_path / "prod-backups"
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{sqlite_file}",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # never reached by the backup commands
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_BACKUP_DIR": str(folder),
        "DJANGO_BACKUP_KEEP": "2",
    }
    measurement = reported_value()
    first = []
    for name in ("First version", "Second version", "Test"):
        Partnership.objects.filter(acronym="ALPHA").update(name=name)
        run_script("backup.sh", env=env)
        first = first or sorted(folder.iterdir())
    # Three runs, DJANGO_BACKUP_KEEP=2: the first backups are gone, two of each kind remain.
    names = [p.name for p in folder.iterdir() if not p.name.endswith(".metadata")]
    assert len([n for n in names if n.startswith("escp-db-default-")]) == 2, names
    assert len([n for n in names if n.startswith("escp-media-")]) == 2, names
    assert not any(p.exists() for p in first)

    change_everything(measurement, media)
    connection.close()  # the restore replaces the database file under this process

    refused = subprocess.run(
        ["bash", str(ROOT / "deploy" / "restore.sh")],
        input="n\n",
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0 and "Nothing restored" in refused.stderr
    assert Partnership.objects.filter(acronym="LATER").exists()
    connection.close()

    run_script("restore.sh", "--noinput", env=env)  # the newest backups
    assert_restored(measurement, media)

    # A named older backup: a path to a copy anywhere, or a name in the backup folder.
    Partnership.objects.filter(acronym="ALPHA").update(name="Changed again")
    connection.close()
    db_backups = sorted(p for p in folder.glob("escp-db-default-*.gz"))
    media_backups = sorted(p.name for p in folder.glob("escp-media-*.gz"))
    copy = tmp_path / "copy" / db_backups[0].name
    copy.parent.mkdir()
    copy.write_bytes(db_backups[0].read_bytes())
    run_script("restore.sh", "--noinput", str(copy), media_backups[0], env=env)
    assert Partnership.objects.get(acronym="ALPHA").name == "Second version"
    assert (media / measurement.evidence_file.name).read_bytes() == EVIDENCE


def test_restore_script_refuses_unknown_options():
    result = subprocess.run(
        ["bash", str(ROOT / "deploy" / "restore.sh"), "--force"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "usage" in result.stderr


# --- settings: never served, same in production ---------------------------------------------------


def settings_process(env, code):
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=process_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://escp:secret@db.example:5432/escp"}


def test_production_writes_backups_to_the_backup_dir_through_pg_dump_and_pg_restore(tmp_path):
    code = (
        "from django.conf import settings; from dbbackup.db.base import get_connector;"
        "c = get_connector('default');"
        "print(settings.STORAGES['dbbackup']['OPTIONS']['location'], type(c).__name__,"
        " ' '.join(c.pg_options), c.drop, c.if_exists, c.single_transaction)"
    )
    env = {**PRODUCTION, "DJANGO_BACKUP_DIR": str(tmp_path / "b"), "DJANGO_BACKUP_KEEP": "30"}
    result = settings_process(env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(tmp_path / "b"),
        "PgDumpBinaryConnector",
        "--no-owner",
        "--no-privileges",
        "True",
        "True",
        "True",
    ]
    keep = settings_process(env, "from dbbackup import settings as s; print(s.CLEANUP_KEEP)")
    assert keep.stdout.strip() == "30", keep.stderr


def test_the_default_backup_folder_is_beside_the_code_and_not_served():
    assert Path(django_settings.STORAGES["dbbackup"]["OPTIONS"]["location"]) == ROOT / "backups"
    assert "backups/" in (ROOT / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize("inside", ["DJANGO_MEDIA_ROOT", "STATIC_ROOT"])
def test_a_backup_folder_inside_a_served_folder_stops_the_start(tmp_path, inside):
    media = tmp_path / "media"
    folder = media / "backups" if inside == "DJANGO_MEDIA_ROOT" else ROOT / "staticfiles" / "b"
    env = {**PRODUCTION, "DJANGO_MEDIA_ROOT": str(media), "DJANGO_BACKUP_DIR": str(folder)}
    result = settings_process(env, "print('started')")
    assert result.returncode != 0
    assert "DJANGO_BACKUP_DIR" in result.stderr and "started" not in result.stdout


# --- PostgreSQL: a dump restored into a fresh, empty database -------------------------------------


TABLES = ["partnerships_partnership", "strategy_measurement", "accounts_user", "django_migrations"]


@pytest.mark.postgres
def test_postgres_dump_restores_into_a_fresh_database_and_over_it_again(
    transactional_db, backups, tmp_path
):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    import psycopg2

    reported_value()  # committed (transactional_db): pg_dump runs in its own session
    factories.user("restore@example.org")
    call_command("dbbackup", "--compress", "--noinput", verbosity=0)
    (dump,) = backups.glob("escp-db-default-*.psql.bin.gz")

    db = connection.settings_dict
    fresh = f"escp_restore_{uuid.uuid4().hex[:12]}"

    def connect(name):
        return psycopg2.connect(
            dbname=name,
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"] or "localhost",
            port=db["PORT"] or 5432,
        )

    def counts(name):
        with closing(connect(name)) as conn, conn.cursor() as cursor:
            found = {}
            for table in TABLES:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                found[table] = cursor.fetchone()[0]
            return found

    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        url = "postgres://{}:{}@{}:{}/{}".format(
            quote(db["USER"], safe=""),
            quote(db["PASSWORD"] or "", safe=""),
            db["HOST"] or "localhost",
            db["PORT"] or 5432,
            fresh,
        )
        restore = [
            sys.executable,
            "manage.py",
            "dbrestore",
            "--noinput",
            "--uncompress",
            f"--input-path={dump}",
        ]
        env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DJANGO_SETTINGS_MODULE": "escp_portal.settings.test",
            "DATABASE_URL": url,
        }
        for attempt in ("into the empty database", "over the restored one"):
            result = subprocess.run(
                restore, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
            )
            assert result.returncode == 0, f"{attempt}: {result.stderr}"
            expected = counts(db["NAME"])
            assert counts(fresh) == expected, attempt
            assert expected["partnerships_partnership"] == 1
            assert expected["strategy_measurement"] == 1
        with closing(connect(fresh)) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT acronym FROM partnerships_partnership")
            assert cursor.fetchall() == [("ALPHA",)]
            cursor.execute("SELECT evidence_file FROM strategy_measurement")
            assert cursor.fetchone()[0].startswith("evidence/")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
