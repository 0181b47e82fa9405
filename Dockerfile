# Production image: a build stage with compilers for the wheels, a slim runtime with Pango and
# fonts for WeasyPrint, a non-root user, static files collected at build time.
#
# Offline (air-gapped) builds: put the locked wheels in wheelhouse/ and build with
#   docker build --build-arg WHEELHOUSE=1 .
# (README, "Deploying", has the pip download command). The normal build installs from the index.

FROM python:3.11-slim-bookworm AS build
ARG WHEELHOUSE=0
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Compilers only for the index build: a wheelhouse holds wheels alone (--only-binary).
RUN if [ "$WHEELHOUSE" != 1 ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends build-essential \
      && rm -rf /var/lib/apt/lists/*; \
    fi
COPY requirements.lock /tmp/requirements.lock
COPY wheelhouse/ /tmp/wheelhouse/
# pip 24 or later: older ones refuse a hashed lock whose packages ask for another's extras
# (weasyprint needs fonttools[woff]); Debian 12's python3-venv brings 23.0.
RUN python -m venv /opt/venv \
 && if [ "$WHEELHOUSE" = 1 ]; then \
      /opt/venv/bin/pip install --no-index --find-links /tmp/wheelhouse "pip>=24" \
      && /opt/venv/bin/pip install --no-index --find-links /tmp/wheelhouse \
        --require-hashes -r /tmp/requirements.lock; \
    else \
      /opt/venv/bin/pip install "pip>=24" \
      && /opt/venv/bin/pip install --require-hashes -r /tmp/requirements.lock; \
    fi
# The source goes through this stage so the runtime image never holds the wheelhouse.
COPY . /src
RUN rm -rf /src/wheelhouse

FROM python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    DEBUG=false \
    PORT=8000 \
    XDG_CACHE_HOME=/tmp/cache
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# Owned by root: the app reads its code and static files and can change neither.
COPY --from=build /src /app
# collectstatic needs settings to load; these build-time values are never used at run time.
RUN SECRET_KEY=build-only-secret-key-build-only-secret-key ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input -v 0
USER app
EXPOSE 8000
# $PORT, not 8000: with host networking (scripts/image-check runs replicas side by side) the probe
# must ask this container's gunicorn, never whatever else listens on 8000.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS -H "Host: localhost" "http://127.0.0.1:${PORT}/healthz" || exit 1
CMD ["gunicorn", "config.wsgi:application", "-c", "gunicorn.conf.py"]
