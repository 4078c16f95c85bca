"""Administrators look notifications and preferences up in the admin
(read-only: only the portal's services write them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "Администратор"

PERMISSIONS = {
    ADMINISTRATOR: {
        "notification": ("view",),
        "notificationpreference": ("view",),
    },
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("notifications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, models in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            perms = Permission.objects.filter(
                content_type__app_label="notifications", codename__in=codenames
            )
            if perms.count() != len(codenames):
                raise RuntimeError(f"Missing permissions for notifications.{model}: {codenames}")
            group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=list(PERMISSIONS)):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="notifications")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
