"""History: the three role groups as first made. The roles are declared in accounts/roles.py, and
accounts.role_groups brings every group to that declaration after each migrate; do not edit this."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "caseworker": [
        "cases.view_case", "cases.change_case", "cases.download_evidence", "cases.prepare_referral", "cases.add_case",
        "cases.add_contact", "cases.change_contact", "cases.view_contact",
        "cases.add_event", "cases.change_event", "cases.view_event",
        "cases.add_source", "cases.change_source", "cases.view_source",
        "cases.add_consent", "cases.change_consent", "cases.view_consent",
        "cases.add_location", "cases.view_location", "cases.add_perpetrator", "cases.view_perpetrator",
    ],
    "legal": [
        "cases.view_case", "cases.download_evidence", "cases.prepare_referral", "cases.view_location", "cases.view_perpetrator",
    ],
    "admin": [
        "cases.view_case", "accounts.manage_users", "accounts.manage_access", "accounts.view_user", "accounts.add_user",
        "accounts.change_user", "auth.view_group",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations (post_migrate); make them now.
    for app_label in ("auth", "accounts", "cases"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # migration app stubs lack it; create_permissions skips apps without models
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_case_permissions_sessions"),
        ("cases", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
