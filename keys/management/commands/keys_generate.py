"""Make a key file of one purpose: `manage.py keys_generate --purpose kek --out /etc/dalil/kek`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keys import keyfile
from keys.purposes import KEY_PURPOSES


class Command(BaseCommand):
    @property
    def help(self):
        # Looked up per run, so that --help speaks the active language (argparse needs a str, not a lazy one).
        return _(
            "Write a new key file of one purpose (mode 0600, never over an existing file) and print its id; "
            "for the intake identity, a second line gives its age public key."
        )

    def add_arguments(self, parser):
        parser.add_argument("--purpose", required=True, choices=sorted(KEY_PURPOSES), help=_("what the key is for"))
        parser.add_argument("--out", required=True, help=_("the file to write"))
        parser.add_argument("--id", dest="key_id", help=_("the key id (default: derived from the key)"))

    def handle(self, *args, **opts):
        purpose = KEY_PURPOSES[opts["purpose"]]
        path = Path(opts["out"])
        if not path.parent.is_dir():
            raise CommandError(_("%(folder)s is not a folder.") % {"folder": path.parent})
        try:
            key = keyfile.generate(purpose, key_id=opts["key_id"])
            keyfile.write(path, key)
        except FileExistsError:
            raise CommandError(_("%(path)s exists already: a key file is never overwritten.") % {"path": path}) from None
        except OSError as exc:
            raise CommandError(_("%(path)s cannot be written: %(error)s") % {"path": path, "error": exc.strerror}) from None
        except keyfile.ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(key.id)
        if purpose.material == "age-identity":
            self.stdout.write(keyfile.age_recipient(key))
