# Dalil: `make run` serves the demo, `make test` runs the tests. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test venv browser messages migrate demo prod-check clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# Compiled catalogues (.mo) are built here, not committed; polib needs no system gettext.
messages: venv
	@$(PY) -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-3] + '.mo') for p in glob.glob('config/locale/*/LC_MESSAGES/*.po') + glob.glob('[a-z]*/locale/*/LC_MESSAGES/*.po')]"

migrate: venv messages
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py runserver $(HOST)

# Browser tests drive Debian's chromium; install it when we can (as root), else they skip.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium could not be installed: browser tests will skip"; fi

test: venv messages browser
	$(PY) -m pytest

prod-check: venv
	$(PY) manage.py prod_check

clean:
	rm -rf $(VENV) static_root .pytest_cache
