from casework.notifications import unread_count
from casework.selectors import attention_count


def my_work_count(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    # Asked once per request: a page that also renders a fragment with the request runs the processors again.
    counts = getattr(request, "_dalil_work_counts", None)
    if counts is None:
        counts = request._dalil_work_counts = {"my_work_count": attention_count(user), "notification_count": unread_count(user)}
    return counts
