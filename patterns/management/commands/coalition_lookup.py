"""Find this organisation's own cases behind the records of its own coalition export.

    python manage.py coalition_lookup EXPORT.json [--user NAME]

Prints "ref reference" for each record that is one of ours; another member's export matches nothing, because
the refs are keyed with this installation's own blind-index key.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from patterns.coalition.exchange import lookup
from patterns.estimation.cli import add_user_option, user_from


class Command(BaseCommand):
    @property
    def help(self):
        return _("Find our own cases behind the records of our own coalition export.")

    def add_arguments(self, parser):
        parser.add_argument("export", metavar="EXPORT.json")
        add_user_option(parser)

    def handle(self, *args, **options):
        user = user_from(options)
        try:
            with open(options["export"], encoding="utf-8") as fh:
                refs = [r["ref"] for r in json.load(fh)["records"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(_("%(path)s: not a readable export (%(error)s)") % {"path": options["export"], "error": exc}) from None
        found = lookup(refs, user)
        with transaction.atomic():
            audit_record(actor=user, action=actions.COALITION_LOOKED_UP, system="coalition_lookup", data={"found": len(found)})
        for ref, reference in sorted(found.items(), key=lambda kv: kv[1]):
            self.stdout.write(f"{ref} {reference}")
