"""The navigation bar's one context processor: everything base.html shows or hides, computed once per request,
so no template tag or filter asks the database anything the view does not see."""

from audit.selectors import is_audit_admin
from casework.selectors import nav_counts


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    # Asked once per request: a page that also renders a fragment with the request runs the processors again.
    nav = getattr(request, "_dalil_nav", None)
    if nav is None:
        attention, unread = nav_counts(user)
        nav = request._dalil_nav = {
            "my_work_count": attention,
            "notification_count": unread,
            "nav": {
                "add_case": user.has_perm("cases.add_case"),
                "triage": user.has_perm("intake.triage"),
                "audit": is_audit_admin(user),  # the audit log and the retention review
                "manage": user.has_perm("accounts.manage_users"),
            },
        }
    return nav
