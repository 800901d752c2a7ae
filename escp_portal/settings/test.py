from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Worker processes started by the integration tests write mail to files the test can count.
EMAIL_BACKEND = env("TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH", default="/tmp/escp-test-mail")
# Unit tests run tasks in-process; the integration tests start a real worker against Redis,
# and the fault tests a web process that sends to it (CELERY_TASK_ALWAYS_EAGER=false).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
        "anon": "100000/hour",
        "user": "100000/hour",
    },
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "dbbackup": BACKUP_STORAGE,  # noqa: F405  (base.py, "Backups": outside MEDIA_ROOT)
}
# Webhooks: retries a second apart, and a receiver on this machine (the integration test's).
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=1)
WEBHOOK_ALLOW_LOCAL = env.bool("WEBHOOK_ALLOW_LOCAL", default=True)
