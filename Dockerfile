# Image for docker-compose.yml, made by the same `make build` as every other install path (README).
# Keys and secrets come from mounted files, never from the image.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends make postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /app dalil
WORKDIR /app
ENV DALIL_DATA_DIR=/var/lib/dalil PATH=/app/.venv/bin:$PATH
COPY requirements.txt Makefile ./
RUN make venv PYTHON=python3
COPY . .
# A build reads no key: whatever it made under the data folder is dropped before the image is sealed.
RUN make build PYTHON=python3 && rm -rf /var/lib/dalil && mkdir -p /var/lib/dalil && chown dalil /var/lib/dalil
USER dalil
EXPOSE 8000
