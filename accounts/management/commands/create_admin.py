from django.core.management.base import BaseCommand, CommandError

from accounts import services


class Command(BaseCommand):
    help = "Create the first admin (role admin, no password) and print their one-time set-password link."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="Where Dalil is served, for the link.")

    def handle(self, *args, username, email, base_url, **options):
        try:
            user, path = services.user_invite(actor=None, username=username, roles=["admin"], email=email)
        except services.AccountError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{user.username} is an admin. Set a password here (one use): {base_url.rstrip('/')}{path}")
