"""Production: every secret comes from the environment, with no default, so a missing one stops
the process at start-up instead of running insecurely."""

from escp_portal.logs import logging_config

from .base import *  # noqa: F403
from .base import DJANGO_LOG_LEVEL, env, redis_cache

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
# Persistent connections (one per gunicorn thread, kept a minute): opening a PostgreSQL
# connection costs more than a typical page's queries (README, "Capacity"). A connection the
# server dropped (a restart) is noticed before a request uses it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Believed only from DJANGO_TRUSTED_PROXIES: escp_portal.proxies.ForwardedHeadersMiddleware drops
# X-Forwarded-Proto from any other peer. Behind a TLS-terminating proxy, list it there.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The container health check asks gunicorn directly over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Uploaded files and backups as in base.py (DJANGO_MEDIA_STORAGE; backups outside MEDIA_ROOT).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_URL = env.email_url("EMAIL_URL", default="smtp://localhost:25")
EMAIL_HOST = EMAIL_URL["EMAIL_HOST"]
EMAIL_PORT = EMAIL_URL["EMAIL_PORT"]
EMAIL_HOST_USER = EMAIL_URL["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = EMAIL_URL["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = EMAIL_URL.get("EMAIL_USE_TLS", False)

# A production site needs the shared broker and cache: no silent fallback to in-process tasks.
REDIS_URL = env("REDIS_URL")
CACHES = redis_cache(REDIS_URL)
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False

# Logs as one JSON object a line unless DJANGO_LOG_FORMAT says text.
LOGGING = logging_config(env("DJANGO_LOG_FORMAT", default="json"), DJANGO_LOG_LEVEL)
