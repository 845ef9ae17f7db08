"""Integrity sweep: decrypt every file, recompute its SHA-256, compare with the intake hash."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evidence import services


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Decrypt every evidence file and working copy, compare SHA-256 with the intake hash; exit 1 on any mismatch.")

    def handle(self, *args, **opts):
        checked = []

        def progress(done, total, label):
            checked.append(done)

        failed = services.evidence_verify_all(progress=progress)
        for file in failed:
            self.stderr.write(
                _("FAILED %(reference)s %(id)s: %(detail)s")
                % {"reference": file.case.reference, "id": file.pk, "detail": file.integrity_detail}
            )
        if failed:
            raise CommandError(
                _("%(failed)s of %(checked)s evidence file(s) failed the integrity check.")
                % {"failed": len(failed), "checked": len(checked)}
            )
        self.stdout.write(self.style.SUCCESS(_("%(count)s evidence file(s) verified: every SHA-256 matches.") % {"count": len(checked)}))
