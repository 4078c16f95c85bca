"""Mask again the comments stored before colleagues' names were masked.

``feedback.masking`` now also hides a name right after a word for staff
(«специалист Сидорчук» → «специалист [имя]»); comments imported before were
masked without that rule. The same steps as ``0008_comment_topics``: every
stored comment is masked and analysed again (idempotent; a response without
a source id whose comment changed gets its de-duplication key computed
again), the topic links are written again from the new analysis, and the
topics are marked re-applied, which changes the dashboard's data stamp: no
cached /cx/ block keeps showing a comment as it was. In chunks; at 1,000,000
responses expect a few minutes on PostgreSQL.
"""

from django.db import migrations
from django.utils import timezone


def stored_comments(apps, schema_editor):
    from feedback.topics import stored_comments_prepare, stored_links_rebuild

    topic_model = apps.get_model("feedback", "Topic")
    stored_comments_prepare(apps.get_model("feedback", "FeedbackResponse"))
    stored_links_rebuild(topic_model)
    topic_model.objects.update(tagged_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("feedback", "0008_comment_topics")]

    operations = [
        migrations.RunPython(stored_comments, migrations.RunPython.noop, elidable=True),
    ]
