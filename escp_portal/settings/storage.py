"""Where the portal keeps what it shares between instances: uploaded files, from the environment
(``DJANGO_MEDIA_STORAGE`` and ``DJANGO_MEDIA_S3_*``; README "Scaling out"), and the cache."""

import environ
from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def media_storage(kind: str) -> dict:
    """Where uploaded files (KPI evidence) are kept (README, "Scaling out"): ``filesystem``, the
    folder MEDIA_ROOT, which every web and worker instance must share; or ``s3``, a bucket of
    an S3-compatible store. Either way the files are private: the portal streams them through
    its access checks (strategy's EvidenceView), never from MEDIA_URL or a bucket address."""
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"DJANGO_MEDIA_STORAGE is filesystem or s3, not {kind!r}.")
    bucket = env("DJANGO_MEDIA_S3_BUCKET", default="")
    if not bucket:
        raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE=s3 needs DJANGO_MEDIA_S3_BUCKET.")
    options = {
        "bucket_name": bucket,
        # Never a public object: no ACL of our own (the bucket's, which must not be public),
        # and any address a library might build is signed and short-lived.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        # Two files of one name get two names, as in a folder (S3Storage would overwrite).
        "file_overwrite": False,
        # A download is buffered in memory up to Django's upload limit, then in a temporary file.
        "max_memory_size": 2_621_440,
        # A store that does not answer fails a request (and /health/'s check) in seconds, not
        # after boto3's minute per attempt.
        "client_config": Config(
            connect_timeout=3, read_timeout=20, retries={"max_attempts": 3, "mode": "standard"}
        ),
    }
    # Unset: boto3's own (AWS's endpoint, AWS_* variables, an instance role, auto addressing).
    optional = {
        "endpoint_url": env("DJANGO_MEDIA_S3_ENDPOINT_URL", default=""),
        "region_name": env("DJANGO_MEDIA_S3_REGION", default=""),
        "access_key": env("DJANGO_MEDIA_S3_ACCESS_KEY_ID", default=""),
        "secret_key": env("DJANGO_MEDIA_S3_SECRET_ACCESS_KEY", default=""),
        "addressing_style": env("DJANGO_MEDIA_S3_ADDRESSING_STYLE", default=""),
    }
    options.update({option: value for option, value in optional.items() if value})
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def redis_cache(url: str) -> dict:
    """The shared cache. It only holds what can be lost (throttle counters, progress figures,
    the recompute coalescing key), so a Redis outage degrades it to misses instead of errors:
    pages and the API keep answering while Redis is away."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "escp",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
