"""Member files for the tests: CSV uploads of rows, posted to a cluster's import page."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def csv_file(rows, name="members.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [
        "id",
        "name",
        "kind",
        "country",
        "nace_code",
        "employees",
        "annual_turnover",
        "competences",
        "export_markets",
        "contact_email",
    ]
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def upload(client, cluster, file):
    return client.post(reverse("partnerships:member_import", args=[cluster.pk]), {"file": file})


def good_rows(n):
    return [
        {
            "name": f"Firm {i:04d}",
            "country": "FR",
            "nace_code": "62.01",
            "employees": i % 400,
            "annual_turnover": "1200000.50",
            "competences": "AI; Robotics",
            "export_markets": "US;CA",
        }
        for i in range(n)
    ]


def raw_upload(client, cluster, content: bytes, name="m.csv"):
    return upload(client, cluster, SimpleUploadedFile(name, content))
