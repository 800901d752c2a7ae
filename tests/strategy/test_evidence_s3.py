"""KPI evidence in an S3-compatible store (DJANGO_MEDIA_STORAGE=s3; README, "Scaling out"):
the upload lands in the bucket, the download streams it back through the portal's access check,
and the media backup reads and restores it. moto's S3, in its server mode on loopback, stands in
for the store: the portal talks HTTP to it through boto3 as it would to a real one.

(The member import keeps no file: its rows are read from the upload at once and kept in the
database, so it is the same with any storage.)"""

import tarfile

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from escp_portal.settings.storage import media_storage
from strategy.models import Measurement

pytestmark = pytest.mark.django_db
BUCKET = "escp-media-test"
PDF = b"%PDF-1.4\n12 SMEs met buyers in Canada; the list of meetings.\n"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, tmp_path):
    """The portal's uploaded files in a fresh bucket, configured as an operator would."""
    for name, value in {
        "DJANGO_MEDIA_S3_BUCKET": BUCKET,
        "DJANGO_MEDIA_S3_ENDPOINT_URL": s3_server,
        "DJANGO_MEDIA_S3_REGION": "eu-west-1",
        "DJANGO_MEDIA_S3_ACCESS_KEY_ID": "escp-test",
        "DJANGO_MEDIA_S3_SECRET_ACCESS_KEY": "escp-test-secret",
        "DJANGO_MEDIA_S3_ADDRESSING_STYLE": "path",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-1",
        aws_access_key_id="escp-test",
        aws_secret_access_key="escp-test-secret",
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    # Nothing may go to a folder: MEDIA_ROOT points at an empty one, checked at the end.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": media_storage("s3")}
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    assert not (tmp_path / "media").exists()


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def upload_evidence(client, kpi, period="2025-03-31", name="meetings.pdf", body=PDF):
    response = client.post(
        reverse("strategy:kpi_report", args=[kpi.pk]),
        {"period_end": period, "value": "3", "evidence_file": SimpleUploadedFile(name, body)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Measurement.objects.get(kpi=kpi, period_end=period)


def download(client, measurement) -> tuple[int, bytes]:
    response = client.get(reverse("strategy:evidence", args=[measurement.pk]))
    if response.status_code != 200:
        return response.status_code, b""
    return 200, b"".join(response.streaming_content)


def test_evidence_goes_to_the_bucket_and_comes_back_for_insiders_only(client, world, plan, bucket):
    client.force_login(world.manager_a)
    measurement = upload_evidence(client, plan["kpi"])

    assert keys(bucket) == [measurement.evidence_file.name]
    stored = bucket.get_object(Bucket=BUCKET, Key=measurement.evidence_file.name)
    assert stored["Body"].read() == PDF
    # Private: no grant to anyone but the owner (no public or authenticated-users ACL).
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=measurement.evidence_file.name)["Grants"]
    assert {grant["Grantee"].get("URI") for grant in grants} == {None}

    status, body = download(client, measurement)
    assert (status, body) == (200, PDF)
    client.force_login(world.coord_a)  # the partnership's coordinator sees it too
    assert download(client, measurement) == (200, PDF)
    client.force_login(world.coord_b)  # another partnership's does not
    assert download(client, measurement) == (404, b"")


def test_the_admin_links_evidence_to_the_portal_never_to_the_bucket(
    client, world, plan, bucket, s3_server, django_user_model
):
    client.force_login(world.manager_a)
    measurement = upload_evidence(client, plan["kpi"])
    operator = django_user_model.objects.create_superuser("ops@example.eu", "x")
    client.force_login(operator)
    page = client.get(reverse("admin:strategy_measurement_change", args=[measurement.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert f'href="{reverse("strategy:evidence", args=[measurement.pk])}"' in text
    assert "meetings.pdf" in text
    # No address of the store itself, signed or not, and no MEDIA_URL link.
    assert s3_server not in text and BUCKET not in text and "/media/" not in text


def test_two_files_of_one_name_stay_two_files(client, world, plan, bucket):
    client.force_login(world.manager_a)
    first = upload_evidence(client, plan["kpi"], "2025-03-31", body=PDF)
    second = upload_evidence(client, plan["kpi"], "2025-06-30", body=PDF + b"second\n")
    assert len(keys(bucket)) == 2
    assert download(client, first) == (200, PDF)
    assert download(client, second) == (200, PDF + b"second\n")


def test_a_corrected_values_old_evidence_stays_downloadable(client, world, plan, bucket):
    client.force_login(world.manager_a)
    measurement = upload_evidence(client, plan["kpi"])
    measurement.status = Measurement.Status.APPROVED
    measurement.save(update_fields=["status"])
    response = client.post(
        reverse("strategy:kpi_report", args=[plan["kpi"].pk]),
        {
            "period_end": "2025-03-31",
            "value": "4",
            "reason": "One meeting was counted twice.",
            "evidence_file": SimpleUploadedFile("meetings.pdf", b"%PDF-1.4 corrected\n"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = measurement.revisions.get()
    url = reverse("strategy:evidence", args=[measurement.pk])
    old = client.get(url, {"revision": revision.pk})
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == PDF
    assert download(client, Measurement.objects.get(pk=measurement.pk)) == (
        200,
        b"%PDF-1.4 corrected\n",
    )


# mediabackup closes the database connection when it ends: not inside a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_media_backup_reads_the_bucket_and_the_restore_writes_it_back(
    client, world, plan, bucket, tmp_path, monkeypatch
):
    from dbbackup import settings as dbbackup_settings

    folder = tmp_path / "backups"
    options = {**dbbackup_settings.STORAGE_OPTIONS, "location": str(folder)}
    monkeypatch.setattr(dbbackup_settings, "STORAGE_OPTIONS", options)
    client.force_login(world.manager_a)
    measurement = upload_evidence(client, plan["kpi"])
    name = measurement.evidence_file.name

    call_command("mediabackup", "--compress", "--noinput", verbosity=0)
    (backup,) = [p for p in folder.iterdir() if p.name.endswith(".tar.gz")]
    with tarfile.open(backup) as archive:
        assert archive.extractfile(name).read() == PDF

    bucket.delete_object(Bucket=BUCKET, Key=name)
    assert keys(bucket) == []
    call_command("mediarestore", "--noinput", "--uncompress", "--replace", verbosity=0)
    assert keys(bucket) == [name]
    assert download(client, measurement) == (200, PDF)


def test_an_unknown_media_storage_or_a_bucket_left_out_is_refused_at_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        media_storage("nfs")
    monkeypatch.setenv("DJANGO_MEDIA_S3_BUCKET", "")  # as compose passes it when unset
    with pytest.raises(ImproperlyConfigured, match="needs DJANGO_MEDIA_S3_BUCKET"):
        media_storage("s3")
    assert media_storage("filesystem")["BACKEND"].endswith("FileSystemStorage")


def test_health_checks_the_bucket(client, bucket, settings):
    """/health/ looks the bucket up: there, it is ok; a bucket that does not exist (a typo in
    DJANGO_MEDIA_S3_BUCKET) degrades the answer at once instead of failing every upload."""
    settings.REDIS_URL = ""
    assert client.get("/health/").json()["media"] == {"ok": True, "mode": "s3"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such"},
        },
    }
    body = client.get("/health/").json()
    assert body["status"] == "degraded"
    assert body["media"] == {"ok": False, "mode": "s3", "error": "ClientError"}
