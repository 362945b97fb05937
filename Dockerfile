# Presentis production image: gunicorn serving config.wsgi (django-tenants keeps the school's
# schema per thread, so Presentis runs on WSGI, never ASGI). The Helm chart in helm/presentis
# runs the same image as web server, Celery worker, Celery beat and migration Job.
#
# Two stages: `build` installs the pinned runtime packages into /opt/venv, collects the static
# files and compiles the bytecode; `runtime` copies only those results onto a fresh slim base,
# so no compiler or package cache reaches production. The code is owned by root and read-only
# to the app user; the chart also mounts the root file system read-only.
#
#   docker build -t registry.example.org/presentis:0.1.0 .

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

# A compiler for any pinned package that lacks a wheel for this platform; this stage only.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Exactly the versions in requirements.lock, installed without resolving again; then what only
# the development tools needed is removed again (see devtools/runtime_requirements.py).
COPY pyproject.toml requirements.lock devtools/runtime_requirements.py ./
RUN python -m venv /opt/venv \
    && python runtime_requirements.py lock pyproject.toml requirements.lock > runtime.txt \
    && /opt/venv/bin/pip install --no-deps --requirement runtime.txt \
    && /opt/venv/bin/python runtime_requirements.py unneeded pyproject.toml > unneeded.txt \
    && if [ -s unneeded.txt ]; then /opt/venv/bin/pip uninstall --yes --requirement unneeded.txt; fi \
    && /opt/venv/bin/pip check \
    && rm runtime.txt unneeded.txt runtime_requirements.py

COPY . .

# Static files are served by WhiteNoise from inside the image (hashed names, compressed).
# Collecting reads settings only, so a placeholder key suffices and no database is needed.
RUN DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=collectstatic-only \
        /opt/venv/bin/python manage.py collectstatic --noinput \
    && /opt/venv/bin/python -m compileall -q -j 0 /src

FROM ${PYTHON_IMAGE} AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PRESENTIS_VAR_DIR=/var/lib/presentis \
    MEDIA_ROOT=/srv/media

# The only writable places: beat's schedule file and the uploads (volumes in the chart).
RUN groupadd --system --gid 10001 presentis \
    && useradd --system --uid 10001 --gid presentis --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin presentis \
    && mkdir -p /var/lib/presentis /srv/media \
    && chown presentis:presentis /var/lib/presentis /srv/media

COPY --from=build /opt/venv /opt/venv
COPY --from=build /src /app

WORKDIR /app
USER 10001:10001
EXPOSE 8000

# The chart passes its own gunicorn arguments; these defaults suit a single container.
CMD ["gunicorn", "config.wsgi:application", "--bind=0.0.0.0:8000", "--worker-class=gthread", \
     "--workers=2", "--threads=4", "--timeout=60", "--worker-tmp-dir=/tmp", "--access-logfile=-"]
