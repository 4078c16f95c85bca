"""Editors build the paths in the admin; administrators may look them up."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Редактор"
ADMINISTRATOR = "Администратор"
CRUD = ("add", "change", "delete", "view")

PERMISSIONS = {
    EDITOR: {"readingpath": CRUD, "readingpathstep": CRUD},
    ADMINISTRATOR: {"readingpath": ("view",), "readingpathstep": ("view",)},
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("onboarding")
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
                content_type__app_label="onboarding", codename__in=codenames
            )
            if perms.count() != len(codenames):
                raise RuntimeError(f"Missing permissions for onboarding.{model}: {codenames}")
            group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=list(PERMISSIONS)):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="onboarding"))


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0001_reading_paths"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
