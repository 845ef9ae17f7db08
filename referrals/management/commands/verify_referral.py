"""python manage.py verify_referral PACKAGE [--passphrase ...] [--public-key ...]: check a package offline."""

import getpass
import os
import sys
import tempfile

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.proofs import PackageError, open_package, read_json, read_roots, verify_package


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
        parser.add_argument("--tsa-root", metavar="PEM", help=_("the time-stamping authority's root certificate(s), obtained from it directly"))
        parser.add_argument("--identity", metavar="FILE", help=_("for a package encrypted to your age key (.age): your age identity file"))

    def handle(self, *args, package, passphrase=None, public_key=None, consistency=None, identity=None, tsa_root=None, **options):
        self.tsa_root = tsa_root
        if not os.path.exists(package):
            raise CommandError(_("%(path)s: no such file") % {"path": package})
        if identity:
            with tempfile.TemporaryDirectory(prefix="dalil-verify-") as folder:
                inner = os.path.join(folder, "package.zip")
                _age_decrypt(package, inner, identity)
                return self._verify(inner, None, public_key, consistency)
        passphrase = passphrase or os.environ.get("DALIL_REFERRAL_PASSPHRASE")
        if not passphrase and os.path.isfile(package):
            if not sys.stdin.isatty():
                raise CommandError(_("give the passphrase with --passphrase (or DALIL_REFERRAL_PASSPHRASE)"))
            passphrase = getpass.getpass(_("Passphrase: "))
        return self._verify(package, passphrase, public_key, consistency)

    def _verify(self, package, passphrase, public_key, consistency):
        try:
            later = read_json(consistency) if consistency else None
            roots = read_roots(self.tsa_root) if self.tsa_root else None
            report = verify_package(open_package(package, passphrase), public_key=public_key, consistency=later, tsa_roots=roots)
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


def _age_decrypt(package: str, target: str, identity_file: str) -> None:
    """Decrypt an age package (X25519) with the recipient's identity file, streaming into `target`."""
    import pyrage
    from pyrage import x25519

    try:
        with open(identity_file, encoding="utf-8") as fh:
            keys = [x25519.Identity.from_str(line.strip()) for line in fh if line.strip().startswith("AGE-SECRET-KEY-")]
        with open(package, "rb") as source, open(target, "wb") as out:
            pyrage.decrypt_io(source, out, keys)
    except OSError as exc:
        raise CommandError(str(exc)) from None
    except Exception:  # noqa: BLE001 - pyrage's errors: a wrong key, a damaged file
        raise CommandError(_("the package does not open with this age identity")) from None
