"""Give the legal and admin role groups patterns.view_aggregates (counts over all cases, no case access).

The groups are the access app's (accounts 0003_roles, which uses get_or_create too); if this runs first it
creates them by name and the access migration fills in their other permissions. patterns.apps also grants
again after every migrate, so the order of the two apps' migrations does not matter.
"""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="patterns", model="sourcelist")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="view_aggregates",
        defaults={"name": "Can see counts over all cases without seeing any case"},
    )
    for name in ("legal", "admin"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="patterns", codename="view_aggregates").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("patterns", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
