import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from knox.models import AuthToken

from tests import factories

pytestmark = pytest.mark.django_db


def test_periodic_jobs_run_in_process_without_a_broker():
    owner = factories.user()
    token, _ = AuthToken.objects.create(user=owner)
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(hours=1))
    out = io.StringIO()
    call_command("run_periodic_jobs", stdout=out)
    assert "clear-expired-api-tokens: 1" in out.getvalue()
    assert not AuthToken.objects.exists()


def test_unknown_job_name_is_an_error():
    with pytest.raises(CommandError, match="No such periodic job"):
        call_command("run_periodic_jobs", "--only", "nope")
