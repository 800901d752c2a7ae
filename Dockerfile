# The production image: one image for web, worker, beat and the one-shot migrate step. It is
# built and started by the same scripts CI runs (deploy/*.sh).

# --- build: locked dependencies, compiled catalogues, collected static files -------------------
FROM python:3.11.10-slim-bookworm AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && python -m venv /opt/venv
WORKDIR /app
COPY requirements/production.txt requirements/production.txt
COPY deploy/install.sh deploy/install.sh
RUN deploy/install.sh production
COPY . .
RUN deploy/build.sh

# --- run: no compiler, no gettext, not root --------------------------------------------------------
FROM python:3.11.10-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=escp_portal.settings.production \
    DJANGO_MEDIA_ROOT=/data/media DJANGO_BACKUP_DIR=/data/backups \
    CELERY_BEAT_SCHEDULE_FILE=/tmp/celerybeat-schedule CELERY_BEAT_HEARTBEAT_FILE=/tmp/celerybeat-heartbeat
# postgresql-client: pg_dump and psql for deploy/backup.sh and deploy/restore.sh (server 15).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 1000 --user-group --no-create-home --home-dir /app escp \
    && mkdir -p /data/media /data/backups \
    && chown -R escp:escp /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER escp
# Named volumes mounted here start with this ownership (escp), so uploads can be written.
VOLUME ["/data/media", "/data/backups"]
EXPOSE 8000
CMD ["deploy/web.sh"]
