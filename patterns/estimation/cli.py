"""The --user option of the pattern commands: whose view of the cases a command takes."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def add_user_option(parser) -> None:
    parser.add_argument("--user", help=_("Count only the cases this user may see (default: every case of the organisation)."))


def user_from(options):
    if not options.get("user"):
        return None
    user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
    if user is None:
        raise CommandError(_("No active user %(name)s.") % {"name": options["user"]})
    return user
