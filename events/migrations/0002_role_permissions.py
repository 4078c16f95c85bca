"""Editors keep the events in the admin (and bring them back from the
trash); administrators may look them up. The admin is the editors' and
administrators' (people.roles.ADMIN_ROLES): the working group has none."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Редактор"
ADMINISTRATOR = "Администратор"
CRUD = ("add", "change", "delete", "view")

PERMISSIONS = {
    EDITOR: {"event": CRUD, "eventtrash": ("view",)},
    ADMINISTRATOR: {"event": ("view",)},
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("events")
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
                content_type__app_label="events", codename__in=codenames
            )
            if perms.count() != len(codenames):
                raise RuntimeError(f"Missing permissions for events.{model}: {codenames}")
            group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=list(PERMISSIONS)):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="events"))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_events"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
