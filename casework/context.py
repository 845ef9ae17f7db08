from casework.selectors import nav_counts


def my_work_count(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    # Asked once per request: a page that also renders a fragment with the request runs the processors again.
    counts = getattr(request, "_dalil_work_counts", None)
    if counts is None:
        attention, unread = nav_counts(user)
        counts = request._dalil_work_counts = {"my_work_count": attention, "notification_count": unread}
    return counts
