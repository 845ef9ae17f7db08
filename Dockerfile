# Image for docker-compose.yml. Keys and secrets come from mounted files, never from the image.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /app dalil
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v0 || true
ENV DALIL_DATA_DIR=/var/lib/dalil
RUN mkdir -p /var/lib/dalil && chown dalil /var/lib/dalil
USER dalil
EXPOSE 8000
