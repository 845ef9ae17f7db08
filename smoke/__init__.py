"""`make prod-smoke`: the README's production steps, run as written against throw-away services on this machine.

    .venv/bin/python -m smoke

See smoke/__main__.py for what it starts and checks; smoke/readme.py reads the steps out of README.md.
"""
