from casework.notifications import unread_count
from casework.selectors import attention_count


def my_work_count(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"my_work_count": attention_count(user), "notification_count": unread_count(user)}
