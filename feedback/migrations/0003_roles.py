"""Administrators keep the service list and see imports, responses and
indicators in the admin (managers work on the import pages, not the admin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "Администратор"
GRANTS = {
    "service": ("add", "change", "delete", "view"),
    "importbatch": ("view",),
    "rejectedrow": ("view",),
    "feedbackresponse": ("view",),
    "operationalindicator": ("view",),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("feedback")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    codenames = [f"{action}_{model}" for model, actions in GRANTS.items() for action in actions]
    perms = Permission.objects.filter(content_type__app_label="feedback", codename__in=codenames)
    if perms.count() != len(codenames):
        raise RuntimeError(f"Missing feedback permissions: {codenames}")
    group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in GRANTS.items() for action in actions]
    perms = Permission.objects.filter(content_type__app_label="feedback", codename__in=codenames)
    for group in Group.objects.filter(name=ADMINISTRATOR):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_import_progress"),
        ("people", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
