"""The copy of the idea bank's old notifications into the centre."""

import importlib
from datetime import timedelta

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

copy_migration = importlib.import_module("notifications.migrations.0003_copy_ideas_notifications")

BEFORE = [
    ("ideas", "0003_rework_status_comment_notification_comment"),
    ("notifications", "0002_role_permissions"),
]
AFTER = [("ideas", "0004_delete_notification"), ("notifications", "0003_copy_ideas_notifications")]


def test_old_rows_are_copied_with_kind_link_target_and_dates(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")
    Idea = apps.get_model("ideas", "Idea")
    Comment = apps.get_model("ideas", "Comment")
    Old = apps.get_model("ideas", "Notification")
    user = User.objects.create(username="anna")
    idea = Idea.objects.create(
        author=user, title="Кулер", problem="п", proposal="п", expected_effect="э"
    )
    comment = Comment.objects.create(idea=idea, author=user, text="Да")
    then = timezone.now() - timedelta(days=3)
    Old.objects.create(
        recipient=user, idea=idea, comment=comment, text="Новый комментарий", created_at=then
    )
    Old.objects.create(
        recipient=user,
        idea=idea,
        text="Идея №1 «Кулер»: новый статус",
        created_at=then,
        read_at=then,
    )
    Old.objects.create(
        recipient=user, idea=idea, text="Идея №2 «Вода» объединена с похожей идеей №1 «Кулер»."
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    New = apps.get_model("notifications", "Notification")
    rows = {row.kind: row for row in New.objects.select_related("target_type")}
    assert set(rows) == {"idea_comment", "idea_status", "idea_merge"}
    assert rows["idea_comment"].url == f"/ideas/{idea.pk}/#comment-{comment.pk}"
    assert rows["idea_comment"].target_type.model == "comment"
    assert rows["idea_comment"].target_id == comment.pk
    assert rows["idea_comment"].created_at == then
    assert rows["idea_status"].url == f"/ideas/{idea.pk}/"
    assert rows["idea_status"].target_type.model == "idea"
    assert rows["idea_status"].read_at == then
    assert rows["idea_merge"].read_at is None
    assert all(row.recipient_id == user.pk for row in rows.values())
    # Back to the latest state for the other tests.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
