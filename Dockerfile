# Production image: gunicorn behind a reverse proxy, static files collected, non-root user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=finsam.settings.production

# WeasyPrint (PDF exports) draws with Pango and HarfBuzz; DejaVu has every Swedish glyph.
RUN apt-get update \
    && apt-get install --no-install-recommends -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 finsam

WORKDIR /app
COPY requirements.txt .
# pip, not uv: the image's layer is built once and cached; uv (requirements-dev.txt) is what makes
# a developer's fresh `make run` fast.
RUN pip install -r requirements.txt
COPY . .

# Translations are compiled into the repository (locale/). collectstatic needs settings that load; these build-time values never reach a running container.
RUN DJANGO_SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && chown -R finsam:finsam /app

USER finsam
EXPOSE 8000
# Requests are CPU-bound Python with short database waits: on 2 cores, 2 processes of 4 threads
# served as many report PUTs as 3 or 4 processes (about 90/s) with a third less memory; raise
# WEB_CONCURRENCY (gunicorn's default worker count) on a machine with more cores.
ENV WEB_CONCURRENCY=2
CMD ["gunicorn", "finsam.wsgi:application", "--bind", "0.0.0.0:8000", "--threads", "4", "--access-logfile", "-"]
