"""Benchmark of the idea bank: query counts and server time of the list page
at 10,000 ideas and 200,000 votes.

    .venv/bin/python bench/ideas.py [--ideas 10000] [--votes 200000] [--repeat 100]

Uses the database DATABASE_URL points to (SQLite by default) but always in a
throw-away test database, so it never touches real data. Prints, for the list
page in its sorts and filters, the detail page and the working group's review
page: the number of queries, and the median and p95 server time over repeated
renders through Django's full request stack.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")

WORDS = [
    "запись",
    "очередь",
    "приём",
    "клиент",
    "ожидание",
    "телефон",
    "памятка",
    "навигация",
    "консультация",
    "вакансия",
    "работодатель",
    "выплата",
    "пособие",
    "анкета",
    "отзыв",
    "специалист",
    "комфорт",
    "ЕЦП",
    "SMS",
]


def build(n_ideas, n_votes, rng):
    from django.contrib.auth.models import Group, User
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from ideas.models import Comment, Decision, Idea, ReviewMeeting, Vote
    from people import roles
    from people.models import Office

    region = Office.objects.create(title="Управляющий центр", code="uc", kind="center")
    offices = [region]
    for d in range(4):
        dept = Office.objects.create(
            title=f"Отдел {d}", code=f"dept-{d}", kind="department", parent=region
        )
        offices.append(dept)
        for j in range(7):
            offices.append(
                Office.objects.create(
                    title=f"ЦЗН {d}.{j}", code=f"czn-{d}-{j}", kind="job_centre", parent=dept
                )
            )
    n_users = max(600, n_votes // max(n_ideas, 1) * 3)
    User.objects.bulk_create(
        User(username=f"user{i}", password="!", first_name="Имя", last_name=f"Фамилия {i}")
        for i in range(n_users)
    )
    user_ids = list(User.objects.values_list("id", flat=True))
    now = timezone.now()
    statuses = ["submitted"] * 5 + ["under_review", "accepted", "in_progress", "implemented"]
    statuses += ["rejected", "duplicate"]
    Idea.objects.bulk_create(
        (
            Idea(
                title=" ".join(rng.choice(WORDS) for _ in range(6)) + f" {i}",
                problem=" ".join(rng.choice(WORDS) for _ in range(40)),
                proposal=" ".join(rng.choice(WORDS) for _ in range(40)),
                expected_effect=" ".join(rng.choice(WORDS) for _ in range(15)),
                author_id=rng.choice(user_ids),
                office=rng.choice(offices),
                status=rng.choice(statuses),
                created_at=now - timedelta(days=i % 900, minutes=i),
                status_changed_at=now - timedelta(days=i % 300),
            )
            for i in range(n_ideas)
        ),
        batch_size=2000,
    )
    idea_ids = list(Idea.objects.values_list("id", flat=True))
    # Votes: a skewed distribution (a few popular ideas), each pair once.
    pairs = set()
    weights = [1 / (rank + 10) for rank in range(len(idea_ids))]
    while len(pairs) < n_votes:
        for idea_id in rng.choices(idea_ids, weights=weights, k=n_votes - len(pairs)):
            pairs.add((idea_id, rng.choice(user_ids)))
    Vote.objects.bulk_create(
        (Vote(idea_id=idea_id, user_id=user_id, created_at=now) for idea_id, user_id in pairs),
        batch_size=5000,
    )
    Comment.objects.bulk_create(
        (
            Comment(idea_id=rng.choice(idea_ids), author_id=rng.choice(user_ids), text="Согласен")
            for _ in range(n_ideas * 2)
        ),
        batch_size=5000,
    )
    Idea.objects.update(
        vote_count=Coalesce(
            Subquery(
                Vote.objects.filter(idea=OuterRef("pk"))
                .values("idea")
                .annotate(n=Count("id"))
                .values("n")[:1]
            ),
            0,
        ),
    )
    Idea.objects.update(
        comment_count=Coalesce(
            Subquery(
                Comment.objects.filter(idea=OuterRef("pk"))
                .values("idea")
                .annotate(n=Count("id"))
                .values("n")[:1]
            ),
            0,
        ),
    )
    group_user = User.objects.create_user("bench-wg", password="bench-pass-123")
    group_user.groups.add(Group.objects.get(name=roles.WORKING_GROUP))
    staff_user = User.objects.create_user("bench", password="bench-pass-123")
    staff_user.groups.add(Group.objects.get(name=roles.STAFF))
    meeting = ReviewMeeting.objects.create(held_on=(now - timedelta(days=20)).date())
    decided = list(
        Idea.objects.exclude(status__in=["submitted", "under_review"]).values_list("id", "status")
    )
    outcome = {
        "accepted": "accept",
        "in_progress": "accept",
        "implemented": "implemented",
        "rejected": "reject",
        "duplicate": "duplicate",
    }
    Decision.objects.bulk_create(
        (
            Decision(
                idea_id=idea_id,
                meeting=meeting,
                outcome=outcome[status],
                rationale="Обоснование решения рабочей группы.",
            )
            for idea_id, status in decided
        ),
        batch_size=5000,
    )
    Idea.objects.filter(status__in=list(outcome)).update(
        latest_decision=Subquery(
            Decision.objects.filter(idea=OuterRef("pk")).order_by("-id").values("id")[:1]
        ),
        decided_at=now - timedelta(days=20),
        first_reviewed_at=now - timedelta(days=20),
    )
    tags = [Tag.objects.create(name=f"метка {t}", slug=f"metka-{t}") for t in range(40)]
    ct = ContentType.objects.get_for_model(Idea)
    TaggedItem.objects.bulk_create(
        (
            TaggedItem(tag=tag, content_type=ct, object_id=idea_id)
            for idea_id in idea_ids
            for tag in rng.sample(tags, 2)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # The bulk updates above leave dead rows; a maintained database has
        # them vacuumed (autovacuum) and fresh planner statistics.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    busiest = Idea.objects.order_by("-vote_count").first()
    return staff_user, group_user, busiest, offices[1], tags[0]


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches, as a running server would have them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return query_count, statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(
            Path(tempfile.mkdtemp(prefix="kb-ideas-bench-")) / "bench.sqlite3"
        )
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rng = random.Random(42)
    try:
        start = time.perf_counter()
        staff_user, group_user, busiest, office, tag = build(args.ideas, args.votes, rng)
        took = time.perf_counter() - start
        from ideas.models import Vote

        print(
            f"database: {vendor}; built {args.ideas} ideas, {Vote.objects.count()} votes "
            f"in {took:.1f} s"
        )
        staff = Client()
        staff.force_login(staff_user)
        group = Client()
        group.force_login(group_user)
        pages = [
            ("list, by votes", staff, "/ideas/"),
            ("list, newest", staff, "/ideas/?sort=new"),
            ("list, recently decided", staff, "/ideas/?sort=decided"),
            ("list, page 200", staff, "/ideas/?page=200"),
            ("list, office subtree", staff, f"/ideas/?office={office.pk}"),
            ("list, tag + status", staff, f"/ideas/?tag={tag.slug}&status=submitted"),
            (f"detail ({busiest.vote_count} votes)", staff, busiest.get_absolute_url()),
            ("review (working group)", group, "/ideas/review/"),
        ]
        print(f"{'page':32} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
        for name, client, url in pages:
            count, median, p95 = measure(client, url, args.repeat)
            print(f"{name:32} {count:7d} {median:10.1f} {p95:8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
