"""Give the roles their permissions on the idea bank's models in the admin.

Only administrators open these models in the admin (the working group works
on the portal's own pages, which check the role, not these permissions).
Status, votes and counters are read-only there: they change only through the
services, which notify people and keep the counts exact.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "Администратор"

PERMISSIONS = {
    ADMINISTRATOR: {
        "idea": ("view", "change"),
        "vote": ("view",),
        "comment": ("view", "change"),
        "reviewmeeting": ("view", "change"),
        "decision": ("view",),
        "notification": ("view",),
    },
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("ideas")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            perms = Permission.objects.filter(content_type__app_label="ideas", codename__in=codenames)
            if perms.count() != len(codenames):
                raise RuntimeError(f"Missing permissions for ideas.{model}: {codenames}")
            group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=list(PERMISSIONS)):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="ideas"))


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0001_initial"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
