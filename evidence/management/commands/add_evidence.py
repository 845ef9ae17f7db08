"""Bulk intake from a folder: python manage.py add_evidence --case REF --source TEXT FILE..."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases.models import Case
from evidence import services
from keys import ring
from evidence.models import EvidenceFile


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Encrypt files (or every file in a folder) into a case's evidence, recording a CLI import.")

    def add_arguments(self, parser):
        parser.add_argument("--case", required=True, help=_("case reference"))
        parser.add_argument("--source", required=True, help=_("who handed the files over"))
        parser.add_argument("--user", help=_("username recorded as the receiver (default: the system)"))
        parser.add_argument("--description", default="")
        parser.add_argument("files", nargs="+", help=_("files or folders (folders are read recursively)"))

    def handle(self, *args, **opts):
        try:
            case = Case.objects.get(reference=opts["case"])
        except Case.DoesNotExist:
            raise CommandError(_("No case with reference %(reference)s.") % {"reference": opts["case"]}) from None
        actor = None
        if opts["user"]:
            actor = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %(user)s.") % {"user": opts["user"]})
        paths = []
        for item in opts["files"]:
            path = Path(item)
            if path.is_dir():
                paths += sorted(p for p in path.rglob("*") if p.is_file())
            elif path.is_file():
                paths.append(path)
            else:
                raise CommandError(_("%(path)s: no such file or folder.") % {"path": item})
        if not paths:
            raise CommandError(_("No files to import."))
        for path in paths:
            if path.stat().st_size == 0:
                raise CommandError(_("%(path)s: the file is empty; nothing was imported.") % {"path": path})
            if path.stat().st_size > services.max_bytes():
                raise CommandError(
                    _("%(path)s: larger than the limit of %(limit)s bytes; nothing was imported.")
                    % {"path": path, "limit": services.max_bytes()}
                )
        try:
            ring.check_keys()
        except Exception as exc:  # ImproperlyConfigured: one clear line
            raise CommandError(str(exc)) from None
        for path in paths:
            try:
                with path.open("rb") as fh:
                    record = services.evidence_attach(
                        actor=actor, case=case, content=fh, original_name=path.name, source_label=opts["source"],
                        description=opts["description"], method=EvidenceFile.Method.CLI, system="add_evidence",
                    )
            except (services.EvidenceError, ring.KeyUnavailable, OSError) as exc:
                raise CommandError(f"{path}: {exc}") from None
            self.stdout.write(f"{record.pk}  {record.sha256}  {record.size:>12}  {path}")
        self.stdout.write(self.style.SUCCESS(_("%(count)s file(s) added to %(reference)s.") % {"count": len(paths), "reference": case.reference}))
