"""Who may see which counts (one place, Wagtail-style).

`patterns.view_aggregates` lets a role count over every case without opening any: the dashboard and
the research export use `aggregate_cases(user)`; every page that shows a case or a person still goes
through cases.selectors.cases_for(user).
"""

from django.db.models import QuerySet

AGGREGATE_PERMISSION = "patterns.view_aggregates"
# The access app's role groups (docs/access.md) that hold the aggregate permission.
AGGREGATE_GROUPS = ("legal", "admin")


def can_view_aggregates(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(AGGREGATE_PERMISSION))


def aggregate_cases(user) -> QuerySet:
    """The cases this user's counts run over: every case for an aggregate role, otherwise their own."""
    from cases.models import Case
    from cases.selectors import cases_for

    if can_view_aggregates(user):
        return Case.objects.all()
    return cases_for(user)


def grant_aggregate_permission(*args, apps=None, **kwargs) -> None:
    """Give the aggregate permission to the legal and admin groups that exist (idempotent)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="patterns", model="sourcelist")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_aggregates",
        defaults={"name": "Can see counts over all cases without seeing any case"},
    )
    for group in Group.objects.filter(name__in=AGGREGATE_GROUPS):
        group.permissions.add(permission)
