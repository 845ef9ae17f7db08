from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="intake", model="submission")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="triage", defaults={"name": "Can read and triage family reports"}
    )
    for group in Group.objects.filter(name="caseworker"):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("accounts", "0003_roles"), ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
