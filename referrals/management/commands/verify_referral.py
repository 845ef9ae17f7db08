"""python manage.py verify_referral PACKAGE [--passphrase ...] [--public-key ...]: check a package offline."""

import getpass
import os
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.proofs import PackageError, open_package, read_json, verify_package


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Check every exhibit of a referral package against its manifest and every custody proof against the signed checkpoint. Offline.")
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("package", help=_("the .zip package as received, or the folder it was extracted to"))
        parser.add_argument("--passphrase", help=_("the package passphrase (asked for if not given; or DALIL_REFERRAL_PASSPHRASE)"))
        parser.add_argument("--public-key", help=_("the organisation's checkpoint key as obtained from it directly (recommended)"))
        parser.add_argument("--consistency", metavar="FILE", help=_("a consistency proof from the package's checkpoint to a later one"))

    def handle(self, *args, package, passphrase=None, public_key=None, consistency=None, **options):
        if not os.path.exists(package):
            raise CommandError(_("%(path)s: no such file") % {"path": package})
        passphrase = passphrase or os.environ.get("DALIL_REFERRAL_PASSPHRASE")
        if not passphrase and os.path.isfile(package):
            if not sys.stdin.isatty():
                raise CommandError(_("give the passphrase with --passphrase (or DALIL_REFERRAL_PASSPHRASE)"))
            passphrase = getpass.getpass(_("Passphrase: "))
        try:
            later = read_json(consistency) if consistency else None
            report = verify_package(open_package(package, passphrase), public_key=public_key, consistency=later)
        except PackageError as exc:
            raise CommandError(str(exc)) from None
        for line in report.passed:
            self.stdout.write(f"ok    {line}")
        for line in report.notes:
            self.stdout.write(f"note  {line}")
        for line in report.failed:
            self.stdout.write(f"FAIL  {line}")
        if not report.ok:
            raise CommandError(
                _("NOT VERIFIED: %(count)s problem(s), first: %(first)s") % {"count": len(report.failed), "first": report.failed[0]}
            )
        self.stdout.write(
            self.style.SUCCESS(_("VERIFIED: every exhibit matches the manifest and every custody entry is in the signed audit log"))
        )
