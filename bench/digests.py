"""Benchmark of the e-mail digests (``manage.py send_digests``) at 50,000 people.

    .venv/bin/python bench/digests.py [--people 50000] [--batch 500] [--keepdb] [--trace]

Uses the database DATABASE_URL points to (SQLite by default) but always in a
throw-away test database. Builds a 5 × 4 section tree with 600 published
articles (published over the last 10 days, a hundred of them substantively
updated in the last day), ``--people`` staff with an e-mail (bulk inserts),
all with a digest (70 % daily, 30 % weekly), a third following a section and
a tenth an article, one mandatory document for everyone read by half, and
idea votes with a decision and answers to questions for a few. Then runs the
Monday digest (daily and weekly ones) twice through ``digests_send`` with a
mail backend that renders and drops the letters, printing the time, the
letters and the process's peak RSS before and after; the second run is the
idempotent re-run (0 sent); with ``--trace`` a third run (the first again)
under tracemalloc gives the peak Python memory of a run.
"""

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")

MONDAY = dt.date(2026, 11, 30)


def build(people, rng):
    from django.contrib.auth.models import User
    from django.utils import timezone

    from articles.models import Acknowledgement, Article, ArticleUpdate, Section
    from ideas.models import Decision, Idea, ReviewMeeting, Vote
    from notifications.models import DigestSetting, Subscription
    from questions.models import Answer, Question

    now = timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(8)))
    roots = [Section.objects.create(title=f"Раздел {i}", slug=f"b-root-{i}") for i in range(5)]
    sections = list(roots)
    for root in roots:
        for j in range(4):
            sections.append(
                Section.objects.create(
                    title=f"{root.title}.{j}", slug=f"{root.slug}-{j}", parent=root
                )
            )
    articles = Article.objects.bulk_create(
        Article(
            section=rng.choice(sections),
            title=f"Материал {i}",
            slug=f"b-article-{i}",
            summary="Коротко о материале.",
            kind=Article.Kind.STANDARD,
            status=Article.Status.PUBLISHED,
            published_at=now - dt.timedelta(hours=rng.randint(1, 240)),
            updated_at=now,
            version=1,
        )
        for i in range(600)
    )
    ArticleUpdate.objects.bulk_create(
        ArticleUpdate(
            article=article,
            article_version=2,
            summary="Уточнены сроки и порядок действий.",
            at=now - dt.timedelta(hours=rng.randint(1, 20)),
        )
        for article in rng.sample(articles, 100)
    )
    document = articles[0]
    Article.all_objects.filter(pk=document.pk).update(mandatory=True)
    started = time.perf_counter()
    batch = 5000
    for start in range(0, people, batch):
        User.objects.bulk_create(
            User(
                username=f"b-{i}",
                email=f"b-{i}@szn.example",
                first_name="Анна",
                last_name=f"Сотрудник {i}",
                password="!",
            )
            for i in range(start, min(start + batch, people))
        )
    ids = list(User.objects.filter(username__startswith="b-").values_list("pk", flat=True))
    DigestSetting.objects.bulk_create(
        (
            DigestSetting(user_id=pk, frequency="daily" if rng.random() < 0.7 else "weekly")
            for pk in ids
        ),
        batch_size=5000,
    )
    subscriptions = []
    for pk in ids:
        if rng.random() < 1 / 3:
            subscriptions.append(Subscription(user_id=pk, section=rng.choice(sections)))
        if rng.random() < 0.1:
            subscriptions.append(Subscription(user_id=pk, article=rng.choice(articles)))
    Subscription.objects.bulk_create(subscriptions, batch_size=5000)
    Acknowledgement.objects.bulk_create(
        (
            Acknowledgement(article=document, user_id=pk, article_version=1)
            for pk in ids
            if rng.random() < 0.5
        ),
        batch_size=5000,
    )
    author = User.objects.get(pk=ids[0])
    meeting = ReviewMeeting.objects.create(held_on=MONDAY, created_by=author)
    for n in range(5):
        idea = Idea.objects.create(
            author=author, title=f"Идея {n}", problem="-", proposal="-", expected_effect="-"
        )
        Vote.objects.bulk_create(Vote(idea=idea, user_id=pk) for pk in rng.sample(ids, 200))
        Decision.objects.create(idea=idea, meeting=meeting, outcome="accept", created_at=now)
    for n in range(200):
        question = Question.objects.create(
            article=rng.choice(articles), author_id=rng.choice(ids), text=f"Вопрос {n}?"
        )
        Answer.objects.create(question=question, author=author, text="Ответ.", created_at=now)
    print(
        f"built: {people} people, {len(subscriptions)} subscriptions, "
        f"600 articles (100 updated) in {time.perf_counter() - started:.1f} s"
    )


def run(batch, *, trace):
    from django.db import reset_queries
    from django.utils import timezone

    from notifications.digests import digests_send

    reset_queries()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = digests_send(
        day=MONDAY,
        now=timezone.make_aware(dt.datetime.combine(MONDAY, dt.time(9))),
        batch=batch,
    )
    elapsed = time.perf_counter() - started
    peak = None
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, elapsed, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--keepdb", action="store_true")
    parser.add_argument(
        "--trace", action="store_true", help="a third run under tracemalloc: peak Python memory"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.PORTAL_URL = "https://kb.szn.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    try:
        print(f"database: {vendor}")
        from django.contrib.auth.models import User

        if not User.objects.filter(username__startswith="b-").exists():
            build(args.people, random.Random(7))
        from notifications.models import DigestSent

        DigestSent.objects.all().delete()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        first, elapsed, _peak = run(args.batch, trace=False)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            f"first run:  {elapsed:.1f} s, people {first.people}, letters {first.sent}, "
            f"empty {first.empty}; process peak RSS {rss_before / 1024:.0f} MiB before, "
            f"{rss_after / 1024:.0f} MiB after",
            flush=True,
        )
        second, elapsed, _peak = run(args.batch, trace=False)
        print(
            f"second run: {elapsed:.1f} s, letters {second.sent}, "
            f"already done {second.already} (idempotent)",
            flush=True,
        )
        if args.trace:
            DigestSent.objects.all().delete()
            third, elapsed, peak = run(args.batch, trace=True)
            print(
                f"first run again under tracemalloc: {elapsed:.1f} s (slowed by tracing), "
                f"letters {third.sent}, peak Python memory {peak / 2**20:.1f} MiB",
                flush=True,
            )
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
