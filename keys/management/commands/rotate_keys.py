"""Re-wrap every data key under the newest key-encryption key (content is not re-encrypted)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common.progress import printed_progress
from keys import ring


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _("Re-wrap evidence and field data keys under the newest KEK. Resumable and idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--background", action="store_true", help=_("queue the Celery task and print its id"))

    def handle(self, *args, **opts):
        try:
            ring.check_keys()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        if opts["background"]:
            from keys.tasks import rotate_keys_task

            result = rotate_keys_task.delay()
            self.stdout.write(_("rotate_keys queued as task %(id)s") % {"id": result.id})
            return
        from keys.rotation import rotate_all

        progress = printed_progress(self.stdout.write)
        try:
            report = rotate_all(progress=progress)
        except ring.KeyUnavailable as exc:
            raise CommandError(_("Rotation stopped (run it again to resume): %(error)s") % {"error": exc}) from None
        total = sum(v or 0 for v in report["rewrapped"].values())
        self.stdout.write(self.style.SUCCESS(_("%(total)s key(s) re-wrapped under %(kek)s.") % {"total": total, "kek": report["kek_id"]}))
