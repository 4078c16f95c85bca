"""«На доработке» becomes a status of its own (it used to be «подана»), the
working group's full status comment gets a column, and a notification may
point at the comment it announces.

Ideas already sent back for rework that their author has not edited since
(the last saved version is not the author's) move to the new status, so
their badge agrees with the decision shown beside it.
"""

import django.db.models.deletion
from django.db import migrations, models


def mark_rework(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    HistoricalIdea = apps.get_model("ideas", "HistoricalIdea")
    sent_back = Idea.objects.filter(status="submitted", latest_decision__outcome="rework")
    for idea_id, author_id in sent_back.values_list("id", "author_id"):
        last_by = (
            HistoricalIdea.objects.filter(id=idea_id)
            .order_by("-history_date", "-history_id")
            .values_list("history_user_id", flat=True)
            .first()
        )
        if last_by != author_id:
            Idea.objects.filter(pk=idea_id).update(status="rework")


def unmark_rework(apps, schema_editor):
    apps.get_model("ideas", "Idea").objects.filter(status="rework").update(status="submitted")


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0002_role_permissions'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalidea',
            name='status_comment',
            field=models.TextField(blank=True, editable=False, help_text='Что рабочая группа написала, меняя статус вне заседания.', max_length=4000, verbose_name='комментарий к смене статуса'),
        ),
        migrations.AddField(
            model_name='idea',
            name='status_comment',
            field=models.TextField(blank=True, editable=False, help_text='Что рабочая группа написала, меняя статус вне заседания.', max_length=4000, verbose_name='комментарий к смене статуса'),
        ),
        migrations.AddField(
            model_name='notification',
            name='comment',
            field=models.ForeignKey(blank=True, help_text='Для уведомления о новом комментарии: удалённый комментарий убирает его.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='ideas.comment', verbose_name='комментарий'),
        ),
        migrations.AlterField(
            model_name='historicalidea',
            name='status',
            field=models.CharField(choices=[('submitted', 'подана'), ('under_review', 'на рассмотрении'), ('rework', 'на доработке'), ('accepted', 'принята'), ('in_progress', 'в работе'), ('implemented', 'реализована'), ('rejected', 'отклонена'), ('duplicate', 'дубликат')], default='submitted', max_length=20, verbose_name='статус'),
        ),
        migrations.AlterField(
            model_name='idea',
            name='status',
            field=models.CharField(choices=[('submitted', 'подана'), ('under_review', 'на рассмотрении'), ('rework', 'на доработке'), ('accepted', 'принята'), ('in_progress', 'в работе'), ('implemented', 'реализована'), ('rejected', 'отклонена'), ('duplicate', 'дубликат')], default='submitted', max_length=20, verbose_name='статус'),
        ),
        migrations.RunPython(mark_rework, unmark_rework),
    ]
