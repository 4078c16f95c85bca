"""Audiences (offices, positions, roles), with history of what each named;
administrators keep the positions list, editors may look it up."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR = "Редактор"
ADMINISTRATOR = "Администратор"
PERMISSIONS = {
    ADMINISTRATOR: ("add_position", "change_position", "delete_position", "view_position"),
    EDITOR: ("view_position",),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(content_type__app_label="people", codename__in=codenames)
        if perms.count() != len(codenames):
            raise RuntimeError(f"Missing permissions for people: {codenames}")
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in PERMISSIONS.items():
        for group in Group.objects.filter(name=role):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="people", codename__in=codenames)
            )


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('people', '0004_positions'),
        ('people', '0002_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Audience',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='создана')),
            ],
            options={
                'verbose_name': 'аудитория',
                'verbose_name_plural': 'аудитории',
            },
        ),
        migrations.CreateModel(
            name='AudienceOffice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('audience', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='office_links', to='people.audience', verbose_name='аудитория')),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='audience_links', to='people.office', verbose_name='подразделение')),
            ],
            options={
                'verbose_name': 'подразделение в аудитории',
                'verbose_name_plural': 'подразделения в аудиториях',
            },
        ),
        migrations.AddField(
            model_name='audience',
            name='offices',
            field=models.ManyToManyField(blank=True, through='people.AudienceOffice', to='people.office', verbose_name='подразделения'),
        ),
        migrations.CreateModel(
            name='AudienceRole',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('audience', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_links', to='people.audience', verbose_name='аудитория')),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='audience_links', to='auth.group', verbose_name='роль')),
            ],
            options={
                'verbose_name': 'роль в аудитории',
                'verbose_name_plural': 'роли в аудиториях',
            },
        ),
        migrations.AddField(
            model_name='audience',
            name='roles',
            field=models.ManyToManyField(blank=True, through='people.AudienceRole', to='auth.group', verbose_name='роли'),
        ),
        migrations.CreateModel(
            name='HistoricalAudience',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='создана')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical аудитория',
                'verbose_name_plural': 'historical аудитории',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAudienceOffice',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('audience', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.audience', verbose_name='аудитория')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='people.historicalaudience')),
                ('office', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.office', verbose_name='подразделение')),
            ],
            options={
                'verbose_name': 'HistoricalAudienceOffice',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAudienceRole',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('audience', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.audience', verbose_name='аудитория')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='people.historicalaudience')),
                ('role', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='auth.group', verbose_name='роль')),
            ],
            options={
                'verbose_name': 'HistoricalAudienceRole',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalAudiencePosition',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('audience', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.audience', verbose_name='аудитория')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='people.historicalaudience')),
                ('position', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.position', verbose_name='должность')),
            ],
            options={
                'verbose_name': 'HistoricalAudiencePosition',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='AudiencePosition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('audience', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='position_links', to='people.audience', verbose_name='аудитория')),
                ('position', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='audience_links', to='people.position', verbose_name='должность')),
            ],
            options={
                'verbose_name': 'должность в аудитории',
                'verbose_name_plural': 'должности в аудиториях',
            },
        ),
        migrations.AddField(
            model_name='audience',
            name='positions',
            field=models.ManyToManyField(blank=True, through='people.AudiencePosition', to='people.position', verbose_name='должности'),
        ),
        migrations.AddConstraint(
            model_name='audienceoffice',
            constraint=models.UniqueConstraint(fields=('audience', 'office'), name='audience_office_once'),
        ),
        migrations.AddConstraint(
            model_name='audiencerole',
            constraint=models.UniqueConstraint(fields=('audience', 'role'), name='audience_role_once'),
        ),
        migrations.AddConstraint(
            model_name='audienceposition',
            constraint=models.UniqueConstraint(fields=('audience', 'position'), name='audience_position_once'),
        ),
        migrations.RunPython(grant, revoke),
    ]
