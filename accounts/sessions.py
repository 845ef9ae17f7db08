"""Django's database sessions, whose lookup (run on every request) is compiled once per process
(common/compiled.py); what is stored, where and for how long is Django's."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from common.compiled import PLACEHOLDER_DATETIME, PLACEHOLDER_TEXT, Compiled

_LIVE_SESSION = Compiled(
    lambda *, key, now: Session.objects.filter(session_key=key, expire_date__gt=now)[:1],
    key=PLACEHOLDER_TEXT, now=PLACEHOLDER_DATETIME,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if self.model is not Session:  # a subclass with a model of its own keeps Django's lookup
            return super()._get_session_from_db()
        found = _LIVE_SESSION.objects(using=db.router.db_for_read(Session), key=self.session_key, now=timezone.now())
        if not found:
            self._session_key = None
            return None
        return found[0]
