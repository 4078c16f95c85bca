"""The staff directory: subjects people can be asked about (Expertise), a
photo, and the name folded for search, filled here for every profile.
Administrators keep the subjects in the admin."""

import re

import django.db.models.deletion
import people.models
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ADMINISTRATOR = "Администратор"
WORD_RE = re.compile(r"[^\W_]+")


def _spaced(text):
    # people.folding.spaced as of this migration: lower case, ё→е, words between spaces.
    return " " + " ".join(WORD_RE.findall(text.lower().replace("ё", "е"))) + " "


def fill_search_names(apps, schema_editor):
    Profile = apps.get_model("people", "Profile")
    profiles = list(Profile.objects.select_related("user"))
    for profile in profiles:
        user = profile.user
        profile.search_name = _spaced(f"{user.last_name} {user.first_name} {user.username}")
    Profile.objects.bulk_update(profiles, ["search_name"], batch_size=500)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_expertise" for action in ("add", "change", "delete", "view")]
    perms = Permission.objects.filter(content_type__app_label="people", codename__in=codenames)
    if perms.count() != len(codenames):
        raise RuntimeError(f"Missing permissions for people.expertise: {codenames}")
    Group.objects.get_or_create(name=ADMINISTRATOR)[0].permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="people", codename__endswith="_expertise"
    )
    for group in Group.objects.filter(name=ADMINISTRATOR):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0006_profile_started_on'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Expertise',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='тема')),
                ('key', models.CharField(editable=False, max_length=40, unique=True, verbose_name='ключ для поиска')),
            ],
            options={
                'verbose_name': 'тема для обращений',
                'verbose_name_plural': 'темы для обращений',
                'ordering': ['key'],
            },
        ),
        migrations.AddField(
            model_name='profile',
            name='photo',
            field=models.FileField(blank=True, upload_to=people.models.photo_upload_to, verbose_name='фотография'),
        ),
        migrations.AddField(
            model_name='profile',
            name='search_name',
            field=models.TextField(blank=True, editable=False, verbose_name='имя для поиска'),
        ),
        migrations.AddField(
            model_name='profile',
            name='expertise',
            field=models.ManyToManyField(blank=True, related_name='profiles', to='people.expertise', verbose_name='можно обратиться по темам'),
        ),
        migrations.CreateModel(
            name='HistoricalExpertise',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='тема')),
                ('key', models.CharField(db_index=True, editable=False, max_length=40, verbose_name='ключ для поиска')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical тема для обращений',
                'verbose_name_plural': 'historical темы для обращений',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
