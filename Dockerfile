FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 escp \
    && apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY . .
RUN DJANGO_SETTINGS_MODULE=escp_portal.settings.local python manage.py compilemessages -v0 \
    && DJANGO_SETTINGS_MODULE=escp_portal.settings.local python manage.py collectstatic --noinput
USER escp
EXPOSE 8000
CMD ["gunicorn", "escp_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
