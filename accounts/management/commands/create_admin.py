from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import services
from accounts.roles import ADMIN


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Create the first admin (role admin, no password) and print their one-time set-password link.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help=_("Where Dalil is served, for the link."))

    def handle(self, *args, username, email, base_url, **options):
        try:
            user, path = services.user_invite(actor=None, username=username, roles=[ADMIN], email=email)
        except services.AccountError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("%(username)s is an admin. Set a password here (one use): %(link)s")
            % {"username": user.username, "link": f"{base_url.rstrip('/')}{path}"}
        )
