"""Settings shared by every environment.

With no environment at all the portal runs on SQLite, runs tasks in-process and prints email to
the console. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to a real broker and cache.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _
from django_guid.integrations import CeleryIntegration as GuidCeleryIntegration

from escp_portal.logs import init_sentry, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "auditlog",
    "axes",
    "csp",
    "django_guid",
    "cachalot",
    "escp_portal.accounts",
    "escp_portal.jobs",
    "escp_portal.webhooks",
    "partnerships",
    "strategy",
    "missions",
    "matchmaking",
    "opportunities",
    "funding",
    "evaluation",
    "escp_portal.sync",
    "escp_portal.devtools",
]

MIDDLEWARE = [
    # First: forwarded headers count only from a trusted proxy (escp_portal/proxies.py).
    "escp_portal.proxies.ForwardedHeadersMiddleware",
    # The request id (X-Request-ID) of every log line and job: a client's only if it is a plain
    # id, else a fresh one (escp_portal/request_ids.py, README "Logs and errors").
    "escp_portal.request_ids.RequestIdHeaderMiddleware",
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Hostile input: control characters in a query, form or JSON body answer 400.
    "escp_portal.hostile.ControlCharacterMiddleware",
    # A create form saves once, however often it is sent (escp_portal/once.py).
    "escp_portal.once.SubmitOnceMiddleware",
    "escp_portal.locale_middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "escp_portal.proxies.ClientAuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

# Proxies (addresses or networks, comma-separated) whose X-Forwarded-For/-Proto/-Host headers
# are believed; from any other peer those headers are dropped. Empty: none is.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])

ROOT_URLCONF = "escp_portal.urls"
WSGI_APPLICATION = "escp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "escp_portal.accounts.context_processors.roles",
                "escp_portal.fragments.fragments",
            ],
        },
    },
]

# Form fields and widgets are rendered with Jinja2 (the same markup as Django's template renderer
# for its built-in field and widget templates, at a third of the cost per field); the admin's own
# widget templates with the template language (escp_portal/forms.py).
FORM_RENDERER = "escp_portal.forms.PortalFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id with parameters chosen for a burst of logins (escp_portal/accounts/hashers.py);
# older hashes (PBKDF2, other Argon2 parameters) are still read and upgraded at the next login.
PASSWORD_HASHERS = [
    "escp_portal.accounts.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_ARGON2_TIME_COST = env.int("PASSWORD_ARGON2_TIME_COST", default=2)
PASSWORD_ARGON2_MEMORY_KIB = env.int("PASSWORD_ARGON2_MEMORY_KIB", default=19456)
PASSWORD_ARGON2_PARALLELISM = env.int("PASSWORD_ARGON2_PARALLELISM", default=1)
# How many password hashes one process computes at once (the others wait their turn).
PASSWORD_HASH_CONCURRENCY = env.int("PASSWORD_HASH_CONCURRENCY", default=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["escp_portal.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")


from .storage import media_storage, redis_cache  # noqa: E402  (after env, which they read)

STORAGES = {
    "default": media_storage(env("DJANGO_MEDIA_STORAGE", default="filesystem")),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="ESCP Portal <noreply@escp.example>")

# Redis is optional: without it the cache is per process and tasks run in-process.
REDIS_URL = env("REDIS_URL", default="")


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = redis_cache(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Fragments of pages cached under the time their tables last changed (escp_portal/fragments.py):
# django-cachalot notes every write the ORM (or raw SQL) makes, per table, in the shared cache,
# at commit; it caches no query itself (CACHALOT_ENABLED off), only keeps those times.
CACHALOT_ENABLED = False
CACHALOT_TIMEOUT = None
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=600)
# The web process's garbage collector (escp_portal/wsgi.py): what the process loaded to serve
# (modules, URL patterns, templates, translations) is set aside from every collection, and a
# collection starts after this many new objects (then every 20th and 100th one scans older
# ones); a request's many short-lived rows and nodes are freed by their reference counts anyway.
# Empty: Python's defaults.
WSGI_GC_THRESHOLD = env.list("WSGI_GC_THRESHOLD", cast=int, default=[50000, 20, 100])

# Sessions are read from the cache (Redis when set: shared by every web instance) and written
# through to the database, so a lost cache loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job taken by a worker that then dies (SIGKILL, lost machine) goes back to the queue once it
# has been unacknowledged this long; it must exceed the longest job and countdown.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 2,
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
# deploy/beat.sh's scheduler touches this file on every tick; deploy/healthcheck.sh beat reads it.
# The nightly recompute of every scoreboard runs this many batches at once (threads of one job,
# each with its own database connection): about the number of cores of the database server.
RECOMPUTE_THREADS = env.int("RECOMPUTE_THREADS", default=2)
CELERY_BEAT_HEARTBEAT_FILE = env("CELERY_BEAT_HEARTBEAT_FILE", default="/tmp/celerybeat-heartbeat")
# Jobs written while the broker was away are sent this often (see escp_portal.jobs.outbox).
OUTBOX_RELAY_SECONDS = env.float("OUTBOX_RELAY_SECONDS", default=30)
CELERY_TIMEZONE = TIME_ZONE
# Periodic jobs: each app adds its entries here as it brings them (name -> schedule).
CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {
        "task": "escp_portal.jobs.tasks.relay_outbox",
        "schedule": timedelta(seconds=OUTBOX_RELAY_SECONDS),
    },
    "purge-form-submissions": {
        "task": "escp_portal.accounts.tasks.purge_form_submissions",
        "schedule": timedelta(hours=24),
    },
    "clear-expired-api-tokens": {
        "task": "escp_portal.accounts.tasks.clear_expired_tokens",
        "schedule": timedelta(hours=24),
    },
    "purge-stale-member-imports": {
        "task": "partnerships.tasks.purge_stale_member_imports",
        "schedule": timedelta(hours=1),
    },
    "send-mission-reminders": {
        "task": "missions.tasks.send_mission_reminders",
        "schedule": timedelta(hours=24),
    },
    "recompute-all-scoreboards": {
        "task": "evaluation.tasks.recompute_all_scoreboards",
        "schedule": timedelta(hours=24),
    },
    "send-kpi-reporting-reminders": {
        "task": "strategy.tasks.send_kpi_reporting_reminders",
        "schedule": timedelta(hours=24),
    },
    # Vouchers and EU funding: coordinators hear of the new calls that fit their partnerships.
    "notify-matching-funding-calls": {
        "task": "funding.tasks.notify_matching_calls",
        "schedule": timedelta(hours=24),
    },
    "send-follow-up-reminders": {
        "task": "opportunities.tasks.send_follow_up_reminders",
        "schedule": timedelta(hours=24),
    },
    # Webhook deliveries whose next attempt is due and whose job did not come (a lost message).
    "retry-due-webhooks": {
        "task": "escp_portal.webhooks.tasks.retry_due_webhooks",
        "schedule": timedelta(minutes=5),
    },
    "purge-deletions": {
        "task": "escp_portal.sync.tasks.purge_deletions",
        "schedule": timedelta(hours=24),
    },
}
# Webhooks (escp_portal.webhooks): the first retry waits this long, each next one twice as long,
# up to the number of attempts; after this many deliveries in a row failed the subscription
# pauses and its owner gets an email. http://localhost targets only where allowed (development).
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_PAUSE_AFTER_FAILURES = env.int("WEBHOOK_PAUSE_AFTER_FAILURES", default=5)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=5)
WEBHOOK_ALLOW_LOCAL = env.bool("WEBHOOK_ALLOW_LOCAL", default=DEBUG)
# The queue webhook deliveries go to (empty: the default one); a queue of their own keeps slow
# receivers from delaying the other jobs, if a worker consumes it.
WEBHOOK_QUEUE = env("WEBHOOK_QUEUE", default="")
# Incremental sync: how long /api/v1/deletions/ remembers a deletion.
SYNC_DELETIONS_KEEP_DAYS = env.int("SYNC_DELETIONS_KEEP_DAYS", default=365)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "escp_portal.api.authentication.ScopedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["escp_portal.api.permissions.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "escp_portal.api.filters.UpdatedSinceFilter",
        "escp_portal.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "escp_portal.api.pagination.ListPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "escp_portal.api.schema.ContractSchema",
    "EXCEPTION_HANDLER": "escp_portal.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "escp_portal.api.throttling.AnonRateThrottle",
        "escp_portal.api.throttling.UserRateThrottle",
    ],
    # Never X-Forwarded-For as such: the throttles ask escp_portal.proxies.client_ip.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="300/hour"),
        "user": env("API_THROTTLE_USER", default="5000/hour"),
        "token_issue": env("API_THROTTLE_TOKEN_ISSUE", default="10/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=90)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ESCP Portal API",
    "DESCRIPTION": (
        "Read and write the data of European Strategic Cluster Partnerships with the rights of "
        "the user who owns the token, narrowed by the token's scope (read only, limited to "
        "chosen partnerships or clusters)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are documented as JSON, which every endpoint reads (none takes a file): the
    # form encodings DRF also parses made generated clients offer one body three ways.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PartnerRoleEnum": "partnerships.models.Partner.Role",
        "UserRoleEnum": "escp_portal.accounts.models.Role",
        "CountryEnum": "django_countries.countries",
        "PartnershipStatusEnum": "partnerships.models.Partnership.Status",
        "MemberImportStatusEnum": "partnerships.models.MemberImport.Status",
        "StrategyStatusEnum": "strategy.models.Strategy.Status",
        "MeasurementStatusEnum": "strategy.models.Measurement.Status",
        "TaskStatusEnum": "strategy.models.Task.Status",
        "MissionStatusEnum": "missions.models.Mission.Status",
        "ParticipationStatusEnum": "missions.models.Participation.Status",
        "MissionKindEnum": "missions.models.Mission.Kind",
        "OutcomeKindEnum": "missions.models.Outcome.Kind",
        "CounterpartKindEnum": "missions.models.LocalCounterpart.Kind",
        "MeetingStateEnum": "missions.models.Meeting.State",
        "MeetingFollowUpEnum": "missions.models.Meeting.FollowUp",
        "BreakdownEnum": "strategy.models.breakdowns.Breakdown",
    },
}

# Brute-force protection for the login page and the token endpoint.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The client address of the throttles (forwarded headers only from a trusted proxy), and on the
# API a 429 in the JSON error shape instead of the lockout page.
AXES_CLIENT_IP_CALLABLE = "escp_portal.proxies.client_ip"
AXES_LOCKOUT_CALLABLE = "escp_portal.accounts.views.lockout_response"

AUDITLOG_INCLUDE_ALL_MODELS = False

# --- Logs and errors (escp_portal/logs.py, README "Logs and errors") ---------------------------
# Every line: time, level, logger, request id, message; as text, or one JSON object a line.
DJANGO_LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = logging_config(env("DJANGO_LOG_FORMAT", default="text"), DJANGO_LOG_LEVEL)
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "EXPOSE_HEADER": False,
    # The id goes with every task message; the worker logs through LOGGING above.
    "INTEGRATIONS": [GuidCeleryIntegration(use_django_logging=True)],
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Error reports, only when SENTRY_DSN is set (web, worker and beat all load these settings).
SENTRY_ENABLED = init_sentry(
    env("SENTRY_DSN", default=""),
    environment=env("SENTRY_ENVIRONMENT", default="production"),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    release=env("SENTRY_RELEASE", default=""),
)

COUNTRIES_FIRST = []
# The bulk member endpoint takes up to 5,000 rows in one JSON body.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MEMBER_IMPORT_ASYNC_ROWS = env.int("MEMBER_IMPORT_ASYNC_ROWS", default=500)

# --- Uploads: caps on every file the portal takes (README, "Uploads") ---------------------------
# No file larger than this is received at all: the first upload handler stops keeping it.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "escp_portal.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A member file: its size, its rows (counted while reading), how far an XLSX may unpack.
MEMBER_IMPORT_MAX_BYTES = env.int("MEMBER_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
MEMBER_IMPORT_MAX_ROWS = env.int("MEMBER_IMPORT_MAX_ROWS", default=50_000)
XLSX_MAX_UNPACKED_BYTES = env.int("XLSX_MAX_UNPACKED_BYTES", default=100 * 1024 * 1024)
XLSX_MAX_RATIO = env.int("XLSX_MAX_RATIO", default=100)
# An import still being checked or written after this long is shown and marked as failed.
MEMBER_IMPORT_STALE_MINUTES = env.int("MEMBER_IMPORT_STALE_MINUTES", default=60)
# A KPI evidence file.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

# Contact requests a person may have waiting for an answer at once (the cluster managers who
# answer them are few; a flood of requests would bury them).
MATCHMAKING_MAX_OPEN_CONTACT_REQUESTS = 20

# Overdue KPI reports older than this are not reminded any more (their period is history).
KPI_REMINDER_WINDOW_DAYS = env.int("KPI_REMINDER_WINDOW_DAYS", default=180)
# Absolute links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Content-Security-Policy: everything from this site, no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- invitations (people get roles by an emailed link) ---
# How long an invitation link works; then the inviter sends a new one.
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", default=14)

# --- Backups (django-dbbackup; README, "Backup and restore") ------------------------------------
# `manage.py dbbackup` / `mediabackup` write the database and every uploaded file (KPI evidence,
# read through the default storage: MEDIA_ROOT or the bucket) into BACKUP_DIR; deploy/backup.sh
# and deploy/restore.sh call them.
# The folder must never be served: it may not lie inside MEDIA_ROOT or the static folders.
INSTALLED_APPS += ["dbbackup"]
BACKUP_DIR = Path(env("DJANGO_BACKUP_DIR", default=str(BASE_DIR / "backups"))).resolve()
for _served in (MEDIA_ROOT, STATIC_ROOT, *STATICFILES_DIRS):
    if BACKUP_DIR.is_relative_to(Path(str(_served)).resolve()):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"DJANGO_BACKUP_DIR ({BACKUP_DIR}) lies inside {_served}, which the web server serves."
        )
# Only the owner (the portal's user) may read a dump: it holds personal data and password hashes.
BACKUP_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": str(BACKUP_DIR),
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
STORAGES["dbbackup"] = BACKUP_STORAGE
# A fixed name, not the host name (a container's changes with every run): escp-db-default-<time>
# and escp-media-<time>; `--clean` keeps the newest DJANGO_BACKUP_KEEP of each.
DBBACKUP_HOSTNAME = "escp"
DBBACKUP_FILENAME_TEMPLATE = "{servername}-db-{databasename}-{datetime}.{extension}"
DBBACKUP_MEDIA_FILENAME_TEMPLATE = "{servername}-media-{datetime}.{extension}"
DBBACKUP_DATE_FORMAT = "%Y-%m-%d-%H%M%S"
DBBACKUP_CLEANUP_KEEP = env.int("DJANGO_BACKUP_KEEP", default=14)
DBBACKUP_CLEANUP_KEEP_MEDIA = DBBACKUP_CLEANUP_KEEP
# A failed backup fails its command (and the script and its cron job); no mail of its own.
DBBACKUP_SEND_EMAIL = False
# PostgreSQL (dbbackup's PgDumpBinaryConnector): pg_dump's custom format, restored by pg_restore
# in one transaction, so a failed restore changes nothing. --clean --if-exists (the connector's
# defaults) drop what the dump holds first: a restore over an existing database works as well as
# one into a fresh, empty database. --no-owner and --no-privileges make the restoring role the
# owner of everything, whichever role made the dump. (SQLite: the file is copied, both ways.)
DBBACKUP_CONNECTORS = {"default": {"PG_OPTIONS": ["--no-owner", "--no-privileges"]}}
