"""Positions become a reference list: Profile.position, free text until now,
points to a Position row.

Every distinct non-empty text (spaces trimmed and collapsed; spellings that
differ only in letter case are one position, written as first met) becomes a
Position, and each profile points to its row. Reversible: going back writes
each profile's position title into the text column again (a profile without
a position gets an empty text, as before).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _clean(text):
    return " ".join((text or "").split())


def texts_to_positions(apps, schema_editor):
    Profile = apps.get_model("people", "Profile")
    Position = apps.get_model("people", "Position")
    by_key = {}
    for profile in Profile.objects.exclude(position_text="").order_by("pk"):
        title = _clean(profile.position_text)[:200]
        if not title:
            continue
        key = title.casefold()
        if key not in by_key:
            by_key[key] = Position.objects.create(title=title)
        profile.position = by_key[key]
        profile.save(update_fields=["position"])


def positions_to_texts(apps, schema_editor):
    Profile = apps.get_model("people", "Profile")
    for profile in Profile.objects.filter(position__isnull=False).select_related("position"):
        profile.position_text = profile.position.title
        profile.save(update_fields=["position_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_login_throttle'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Position',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(error_messages={'unique': 'Такая должность уже есть в справочнике.'}, help_text='Как в штатном расписании, с маленькой буквы: «специалист по профобучению».', max_length=200, unique=True, verbose_name='название')),
            ],
            options={
                'verbose_name': 'должность',
                'verbose_name_plural': 'должности',
                'ordering': ['title'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalPosition',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(db_index=True, error_messages={'unique': 'Такая должность уже есть в справочнике.'}, help_text='Как в штатном расписании, с маленькой буквы: «специалист по профобучению».', max_length=200, verbose_name='название')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical должность',
                'verbose_name_plural': 'historical должности',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RenameField(model_name='profile', old_name='position', new_name='position_text'),
        migrations.AddField(
            model_name='profile',
            name='position',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff', to='people.position', verbose_name='должность'),
        ),
        migrations.RunPython(texts_to_positions, positions_to_texts),
        migrations.RemoveField(model_name='profile', name='position_text'),
    ]
