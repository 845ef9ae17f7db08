"""The role groups in the database, made to match the declaration in accounts/roles.py.

Run after every migrate (accounts.apps connects it to post_migrate), so that a role added to or changed in
accounts.roles.ROLES needs no migration of its own: migration 0003_roles is history, and the next migrate
brings every group to the declaration. A test's flush, which empties the groups, sends the signal too.
"""

from django.contrib.auth.management import create_permissions

from accounts.roles import ROLES


def _permission(Permission, apps, perm: str):
    app_label, codename = perm.split(".")
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is None:
        # Permissions are normally made after all migrations (post_migrate); make this app's now.
        app_config = apps.get_app_config(app_label)
        app_config.models_module = app_config.models_module or True  # migration app stubs lack it
        create_permissions(app_config, apps=apps, verbosity=0)
        found = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    return found


def sync_role_groups(*args, apps=None, **kwargs) -> None:
    """Give each role's group exactly the model permissions its declaration lists (idempotent)."""
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES.values():
        group, _ = Group.objects.get_or_create(name=role.name)
        group.permissions.set([_permission(Permission, apps, perm) for perm in sorted(role.group_permissions())])
