from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api import services
from api.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for USER and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("user", help="username")
        parser.add_argument("--scope", required=True, choices=ApiToken.Scope.values)
        parser.add_argument("--days", type=int, default=90, help="days until it expires (default 90)")
        parser.add_argument("--name", default="", help="a label, e.g. 'Bishkek intake phone'")

    def handle(self, *args, user, scope, days, name, **options):
        User = get_user_model()
        try:
            target = User.objects.get(**{User.USERNAME_FIELD: user})
        except User.DoesNotExist:
            raise CommandError(f"No user named {user!r}.") from None
        try:
            token, raw = services.token_issue(actor=None, user=target, scope=scope, days=days, name=name, system="issue_token")
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(raw)
        self.stderr.write(f"Issued {scope} token {token.prefix}… for {user}, expires {token.expires_at:%Y-%m-%d %H:%M %Z}. It will not be shown again.")
