"""Integrity sweep: decrypt every file, recompute its SHA-256, compare with the intake hash."""

from django.core.management.base import BaseCommand, CommandError

from evidence import services


class Command(BaseCommand):
    help = "Decrypt every evidence file and working copy, compare SHA-256 with the intake hash; exit 1 on any mismatch."

    def handle(self, *args, **opts):
        checked = []

        def progress(done, total, label):
            checked.append(done)

        failed = services.evidence_verify_all(progress=progress)
        for file in failed:
            self.stderr.write(f"FAILED {file.case.reference} {file.pk}: {file.integrity_detail}")
        if failed:
            raise CommandError(f"{len(failed)} of {len(checked)} evidence file(s) failed the integrity check.")
        self.stdout.write(self.style.SUCCESS(f"{len(checked)} evidence file(s) verified: every SHA-256 matches."))
