from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from api import services
from api.models import ApiToken


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Issue an API token for USER and print it once (only its hash is stored).")

    def add_arguments(self, parser):
        parser.add_argument("user", help=_("username"))
        parser.add_argument("--scope", required=True, choices=ApiToken.Scope.values)
        parser.add_argument("--days", type=int, default=90, help=_("days until it expires (default 90)"))
        parser.add_argument("--name", default="", help=_("a label, e.g. 'Bishkek intake phone'"))

    def handle(self, *args, user, scope, days, name, **options):
        User = get_user_model()
        try:
            target = User.objects.get(**{User.USERNAME_FIELD: user})
        except User.DoesNotExist:
            raise CommandError(_("No user named %(user)s.") % {"user": repr(user)}) from None
        try:
            token, raw = services.token_issue(actor=None, user=target, scope=scope, days=days, name=name, system="issue_token")
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(raw)
        self.stderr.write(
            _("Issued %(scope)s token %(prefix)s… for %(user)s, expires %(expires)s. It will not be shown again.")
            % {"scope": scope, "prefix": token.prefix, "user": user, "expires": f"{token.expires_at:%Y-%m-%d %H:%M %Z}"}
        )
