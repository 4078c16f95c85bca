"""Create the portal's roles as Django groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF = "Сотрудник"
EDITOR = "Редактор"
WORKING_GROUP = "Рабочая группа"
MANAGER = "Руководитель"
ADMINISTRATOR = "Администратор"

CRUD = ("add", "change", "delete", "view")

# role -> {app_label: {model: actions}}
PERMISSIONS = {
    STAFF: {},
    EDITOR: {
        "articles": {
            "section": CRUD,
            "article": CRUD,
            "attachment": CRUD,
            "articletrash": ("view",),
            "sectiontrash": ("view",),
            "acknowledgement": ("view",),
        },
        "taggit": {"tag": CRUD, "taggeditem": CRUD},
        "people": {"office": ("view",)},
    },
    WORKING_GROUP: {},
    MANAGER: {"articles": {"acknowledgement": ("view",)}},
    ADMINISTRATOR: {
        "auth": {"user": CRUD, "group": ("view",)},
        "people": {"office": CRUD, "profile": CRUD},
        "articles": {"article": ("view",), "section": ("view",), "acknowledgement": ("view",)},
    },
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure the
    # ones assigned here exist already.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, models in grants.items():
            for model, actions in models.items():
                codenames = [f"{action}_{model}" for action in actions]
                perms = Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
                if perms.count() != len(codenames):
                    raise RuntimeError(f"Missing permissions for {app_label}.{model}: {codenames}")
                group.permissions.add(*perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("articles", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
