# The one image of web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=warning_system.settings \
    VAR_DIR=/app/var \
    FEED_INBOX=/data/inbox

WORKDIR /app

# Dependencies first, so that a change of code reuses this layer. pyproject.toml declares no
# packages to install (the code runs from /app), so it is all that this step needs.
COPY pyproject.toml ./
RUN pip install .  && rm -rf build *.egg-info

COPY . .

# An unprivileged user owns what the containers write: static files, var/ (beat's schedule)
# and the feed inbox (a named volume mounted there takes this ownership when it is new).
RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app/staticfiles /app/var /data/inbox /data/audit \
    && chown -R app:app /app/staticfiles /app/var /data/inbox /data/audit
USER app

EXPOSE 8000
CMD ["gunicorn", "warning_system.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
