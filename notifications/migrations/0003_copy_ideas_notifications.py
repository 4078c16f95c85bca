"""Copy the idea bank's own notifications into the portal's centre, before
the idea bank's model is removed (ideas 0004 depends on this migration).

The old rows had no kind: a comment's notification is «idea_comment»; of the
rest, those saying an idea «объединена с похожей идеей» are «idea_merge»
(the only text that says so), every other one «idea_status». The link and
the target are what the old model computed: the comment itself, or the idea.
"""

from django.db import migrations

BATCH = 1000
MERGE_MARK = "объединена с похожей идеей"


def copy(apps, schema_editor):
    Old = apps.get_model("ideas", "Notification")
    New = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    idea_type, _ = ContentType.objects.get_or_create(app_label="ideas", model="idea")
    comment_type, _ = ContentType.objects.get_or_create(app_label="ideas", model="comment")
    batch = []
    for old in Old.objects.order_by("pk").iterator(chunk_size=BATCH):
        url = f"/ideas/{old.idea_id}/"
        if old.comment_id:
            kind, url = "idea_comment", f"{url}#comment-{old.comment_id}"
            target_type, target_id = comment_type, old.comment_id
        else:
            kind = "idea_merge" if MERGE_MARK in old.text else "idea_status"
            target_type, target_id = idea_type, old.idea_id
        batch.append(
            New(
                recipient_id=old.recipient_id,
                kind=kind,
                text=old.text,
                url=url,
                target_type=target_type,
                target_id=target_id,
                created_at=old.created_at,
                read_at=old.read_at,
            )
        )
        if len(batch) >= BATCH:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    """Undo: the idea bank's kinds go back to its own model."""
    Old = apps.get_model("ideas", "Notification")
    New = apps.get_model("notifications", "Notification")
    rows = New.objects.filter(kind__in=["idea_status", "idea_comment", "idea_merge"])
    batch = []
    for new in rows.order_by("pk").iterator(chunk_size=BATCH):
        path = new.url.split("#")[0].strip("/").split("/")
        comment_id = new.target_id if new.kind == "idea_comment" else None
        batch.append(
            Old(
                recipient_id=new.recipient_id,
                idea_id=int(path[-1]),
                comment_id=comment_id,
                text=new.text,
                created_at=new.created_at,
                read_at=new.read_at,
            )
        )
    Old.objects.bulk_create(batch)
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_role_permissions"),
        ("ideas", "0003_rework_status_comment_notification_comment"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy, copy_back)]
