"""Mandatory reading for an audience, with a deadline, versioned
acknowledgement and re-acknowledgement rounds, and the record of reminders.

Existing acknowledgements keep the version they were given on: the column
was there from the start and filled with the article's version at the time
of the mark. No round exists yet, so every existing acknowledgement still
counts (``ack_required_version`` starts at 0), and existing mandatory
articles stay mandatory for everyone (no audience). The unique key becomes
(article, user, version): a person acknowledges each required version once,
and the mark for an older version stays on record.
"""

from django.contrib.auth.management import create_permissions

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


EDITOR = "Редактор"
ADMINISTRATOR = "Администратор"
# Both roles look the rounds and reminders up in the admin; only the
# portal's services write them.
VIEW = ("view_acknowledgementround", "view_mandatoryreminder")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="articles", codename__in=VIEW)
    if perms.count() != len(VIEW):
        raise RuntimeError(f"Missing permissions for articles: {VIEW}")
    for role in (EDITOR, ADMINISTRATOR):
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="articles", codename__in=VIEW)
    for group in Group.objects.filter(name__in=[EDITOR, ADMINISTRATOR]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0006_article_view_day'),
        ('people', '0005_audiences'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AcknowledgementRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('article_version', models.PositiveIntegerField(verbose_name='версия материала')),
                ('summary', models.TextField(max_length=2000, verbose_name='что изменилось')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='когда')),
                ('deadline', models.DateField(blank=True, null=True, verbose_name='срок ознакомления')),
                ('notified', models.PositiveIntegerField(default=0, verbose_name='уведомлено сотрудников')),
            ],
            options={
                'verbose_name': 'повторное ознакомление',
                'verbose_name_plural': 'повторные ознакомления',
                'ordering': ['-started_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='MandatoryReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('week', 'за 7 дней до срока'), ('day', 'за 1 день до срока')], max_length=10, verbose_name='напоминание')),
                ('deadline', models.DateField(verbose_name='срок ознакомления')),
                ('article_version', models.PositiveIntegerField(help_text='Какую версию нужно было прочитать.', verbose_name='версия для ознакомления')),
                ('sent_on', models.DateField(help_text='День, за который шла рассылка.', verbose_name='отправлено')),
                ('recipients', models.PositiveIntegerField(default=0, verbose_name='получателей')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='записано')),
            ],
            options={
                'verbose_name': 'напоминание об ознакомлении',
                'verbose_name_plural': 'напоминания об ознакомлении',
                'ordering': ['-sent_on', '-id'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='acknowledgement',
            name='one_ack_per_user_article',
        ),
        migrations.AddField(
            model_name='article',
            name='ack_required_version',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='версия для ознакомления'),
        ),
        migrations.AddField(
            model_name='article',
            name='mandatory_audience',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='mandatory_article', to='people.audience', verbose_name='для кого обязателен'),
        ),
        migrations.AddField(
            model_name='article',
            name='mandatory_deadline',
            field=models.DateField(blank=True, help_text='Включительно. Пусто — без срока.', null=True, verbose_name='срок ознакомления'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='mandatory_deadline',
            field=models.DateField(blank=True, help_text='Включительно. Пусто — без срока.', null=True, verbose_name='срок ознакомления'),
        ),
        migrations.AddConstraint(
            model_name='acknowledgement',
            constraint=models.UniqueConstraint(fields=('article', 'user', 'article_version'), name='one_ack_per_user_version'),
        ),
        migrations.AddField(
            model_name='acknowledgementround',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acknowledgement_rounds', to='articles.article', verbose_name='материал'),
        ),
        migrations.AddField(
            model_name='acknowledgementround',
            name='started_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='кто запросил'),
        ),
        migrations.AddField(
            model_name='mandatoryreminder',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mandatory_reminders', to='articles.article', verbose_name='материал'),
        ),
        migrations.AddConstraint(
            model_name='acknowledgementround',
            constraint=models.UniqueConstraint(fields=('article', 'article_version'), name='one_round_per_article_version'),
        ),
        migrations.AddConstraint(
            model_name='mandatoryreminder',
            constraint=models.UniqueConstraint(fields=('article', 'stage', 'deadline', 'article_version'), name='one_mandatory_reminder_per_stage'),
        ),
        migrations.RunPython(grant, revoke),
    ]
