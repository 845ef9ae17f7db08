"""Bulk intake from a folder: python manage.py add_evidence --case REF --source TEXT FILE..."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from evidence import keyring, services
from evidence.models import EvidenceFile


class Command(BaseCommand):
    help = "Encrypt files (or every file in a folder) into a case's evidence, recording a CLI import."

    def add_arguments(self, parser):
        parser.add_argument("--case", required=True, help="case reference")
        parser.add_argument("--source", required=True, help="who handed the files over")
        parser.add_argument("--user", help="username recorded as the receiver (default: the system)")
        parser.add_argument("--description", default="")
        parser.add_argument("files", nargs="+", help="files or folders (folders are read recursively)")

    def handle(self, *args, **opts):
        try:
            case = Case.objects.get(reference=opts["case"])
        except Case.DoesNotExist:
            raise CommandError(f"No case with reference {opts['case']}.") from None
        actor = None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {opts['user']}.")
        paths = []
        for item in opts["files"]:
            path = Path(item)
            if path.is_dir():
                paths += sorted(p for p in path.rglob("*") if p.is_file())
            elif path.is_file():
                paths.append(path)
            else:
                raise CommandError(f"{item}: no such file or folder.")
        if not paths:
            raise CommandError("No files to import.")
        for path in paths:
            if path.stat().st_size == 0:
                raise CommandError(f"{path}: the file is empty; nothing was imported.")
            if path.stat().st_size > services.max_bytes():
                raise CommandError(f"{path}: larger than the limit of {services.max_bytes()} bytes; nothing was imported.")
        try:
            keyring.check_keys()
        except Exception as exc:  # ImproperlyConfigured: one clear line
            raise CommandError(str(exc)) from None
        for path in paths:
            try:
                with path.open("rb") as fh:
                    record = services.evidence_attach(
                        actor=actor, case=case, content=fh, original_name=path.name, source_label=opts["source"],
                        description=opts["description"], method=EvidenceFile.Method.CLI, system="add_evidence",
                    )
            except (services.EvidenceError, keyring.KeyUnavailable, OSError) as exc:
                raise CommandError(f"{path}: {exc}") from None
            self.stdout.write(f"{record.pk}  {record.sha256}  {record.size:>12}  {path}")
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} file(s) added to {case.reference}."))
