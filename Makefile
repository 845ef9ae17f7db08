# Dalil: `make run` serves the demo, `make test` runs the tests, `make build` is the one build step of
# every install path (the README's production steps, the Dockerfile, CI's `make prod-smoke`).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= localhost:8000
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run test venv dev-venv build static browser messages migrate demo prod-check prod-smoke lock clean

# requirements.txt (runtime) and requirements-dev.txt (tests, CI tools) are locked with hashes by `make lock`
# from requirements.in and requirements-dev.in; a production install takes the runtime set only.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP_INSTALL) --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

dev-venv: $(VENV)/.installed-dev

PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

# Re-lock after editing a .in file (add --upgrade-package NAME to move one pin).
lock: dev-venv
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

# Compiled catalogues (.mo) are built here, not committed; polib needs no system gettext.
messages: venv
	@$(PY) -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-3] + '.mo') for p in glob.glob('config/locale/*/LC_MESSAGES/*.po') + glob.glob('[a-z]*/locale/*/LC_MESSAGES/*.po')]"

# Static files under hashed names in static_root/ (whitenoise serves them with a one-year lifetime).
# collectstatic reads no secret and no data: a placeholder secret and a throw-away data folder let it run
# where none is set up yet (an image build, step 1 of the README) without leaving development keys behind.
static: venv
	data=$$(mktemp -d) && DALIL_DATA_DIR="$$data" DALIL_SECRET_KEY="$${DALIL_SECRET_KEY:-collectstatic-reads-no-secret}" \
		$(PY) manage.py collectstatic --noinput --clear -v0; status=$$?; rm -rf "$$data"; exit $$status

# The build step: install the pinned requirements, compile the catalogues, collect the static files.
build: venv messages static

migrate: build
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py seed_demo --allow-demo --url "http://$(HOST)/"

run: demo
	@echo "Dalil serves http://$(HOST)/ (stop with Ctrl-C)"
	$(PY) manage.py runserver $(HOST)

# Browser tests drive Debian's chromium; install it when we can (as root), else they skip.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed: browser tests will skip"; fi

test: dev-venv messages browser
	$(PY) -m pytest

prod-check: venv
	$(PY) manage.py prod_check

# The README's production steps and process set behind nginx, checked through HTTPS (smoke/__main__.py).
prod-smoke: dev-venv
	$(PY) -m smoke

clean:
	rm -rf $(VENV) static_root .pytest_cache
