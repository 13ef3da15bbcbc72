# syntax=docker/dockerfile:1
# Kontakt's production image (docker-compose.yml runs it as web, worker, beat
# and the one-off migrate). Two stages: the build stage installs the locked
# production dependencies into a virtualenv, compiles the translations and
# collects the static files; the final stage holds only the result and runs
# as a user of its own who owns /app and the media folder.

FROM python:3.11-slim AS build
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY . .
# The settings are read by these two commands only to find the translations
# and the static files: a throwaway key that never leaves this stage.
RUN SECRET_KEY=build-only-never-used-to-sign-anything \
        python manage.py compilemessages -v0 \
    && SECRET_KEY=build-only-never-used-to-sign-anything \
        python manage.py collectstatic --no-input -v0 \
    && rm -rf var/* \
    && find . -name __pycache__ -prune -exec rm -rf {} +


FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    MEDIA_ROOT=/data/media
RUN groupadd --system kontakt \
    && useradd --system --gid kontakt --home-dir /app --no-create-home kontakt \
    && mkdir -p /data/media \
    && chown kontakt:kontakt /data /data/media
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=kontakt:kontakt /app /app
WORKDIR /app
USER kontakt
EXPOSE 8000
# GET /healthz on the local gunicorn (200 while the database answers); worker
# and beat have their own checks in docker-compose.yml, migrate none.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "scripts/healthcheck.py"]
# gunicorn.conf.py: two synchronous workers per core (WEB_CONCURRENCY to set
# another number, WEB_THREADS for threads); more options: GUNICORN_CMD_ARGS.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "kontakt.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
