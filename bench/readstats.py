"""Benchmark of «Аналитика чтения» (/dashboards/reading/) and the article
admin's «Просмотры за 30 дней».

    .venv/bin/python bench/readstats.py [--articles 2000] [--days 365]
        [--reads 40] [--staff 600] [--repeat 30] [--keepdb]

Uses the database DATABASE_URL points to (SQLite by default) but always in a
throw-away test database. Loads the demo office tree (80 offices), makes
``--articles`` published articles over a 50-section tree, ``--staff`` people
over the offices, and for every office and day of ``--days`` the views of
about ``--reads`` articles drawn with a long-tailed popularity (the first
articles are read everywhere, the last hardly at all; some never): one
``ArticleViewDay`` row per article, office and day, written with COPY on
PostgreSQL. Also a search log of 200 searches a day with clicks. Prints the
row counts, then the number of queries and the p50 / p95 server time of the
page through Django's full request stack: the region for 30 / 90 / 365 days,
a section, one office (its manager), the CSV export, and the admin list.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")

from mandatory_report import measure, write  # noqa: E402 — the same COPY and timing


def build(args, rng, vendor):
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article, ArticleViewDay, Section
    from fixtures import demo_content
    from kb_portal.demo import _seed_offices
    from people import roles
    from people.models import Office, Profile
    from search.models import SearchClick, SearchQuery

    _seed_offices(demo_content.OFFICES, parent=None)
    offices = list(Office.objects.order_by("tree_id", "lft"))
    sections = []
    for i in range(10):
        top = Section.objects.create(title=f"Раздел {i + 1}", slug=f"razdel-{i + 1}")
        sections.append(top)
        for j in range(4):
            sections.append(
                Section.objects.create(
                    title=f"Подраздел {i + 1}.{j + 1}", slug=f"razdel-{i + 1}-{j + 1}", parent=top
                )
            )
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            section=sections[i % len(sections)],
            title=f"Материал {i + 1:05d}",
            slug=f"material-{i + 1}",
            kind=Article.Kind.DOCUMENT,
            status=Article.Status.PUBLISHED,
            published_at=now,
            updated_at=now,
        )
        for i in range(args.articles)
    )
    article_ids = list(Article.objects.order_by("id").values_list("id", flat=True))
    staff = Group.objects.get(name=roles.STAFF)
    users = User.objects.bulk_create(
        User(username=f"b-{i}", password="!", is_active=True) for i in range(args.staff)
    )
    staff.user_set.add(*users)
    Profile.objects.bulk_create(Profile(user=u, office=rng.choice(offices)) for u in users)

    # Long-tailed popularity; the last tenth of the articles is never read.
    readable = article_ids[: len(article_ids) * 9 // 10]
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(readable))]
    today = timezone.localdate()
    office_ids = [o.pk for o in offices]

    def rows():
        for back in range(args.days):
            day = today - dt.timedelta(days=back)
            for office_id in [*office_ids, None]:
                picked = set(rng.choices(readable, weights, k=args.reads))
                for article_id in picked:
                    yield (article_id, office_id, day, rng.randint(1, 12))

    start = time.perf_counter()
    write(
        ArticleViewDay._meta.db_table, ["article_id", "office_id", "date", "views"], rows(), vendor
    )
    views_built = time.perf_counter() - start
    queries = [f"запрос {n}" for n in range(400)]
    log = []
    for back in range(args.days):
        moment = now - dt.timedelta(days=back)
        for _ in range(200):
            log.append(
                SearchQuery(
                    query=rng.choice(queries[: rng.choice([20, 100, 400])]),
                    results=rng.choice([0, 3, 10, 25]),
                    created_at=moment,
                    page=1 if rng.random() < 0.9 else 2,
                )
            )
    SearchQuery.objects.bulk_create(log, batch_size=5000)
    searches = list(SearchQuery.objects.filter(results__gt=0).values_list("id", flat=True))
    SearchClick.objects.bulk_create(
        (
            SearchClick(search_id=s, article_id=rng.choice(article_ids), position=0)
            for s in searches
            if rng.random() < 0.45
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # VACUUM as autovacuum would after a while: the visibility map lets
        # PostgreSQL answer from the covering indexes alone.
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    return views_built


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--reads", type=int, default=40, help="articles read per office and day")
    parser.add_argument("--staff", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keepdb", action="store_true", help="keep and reuse the test database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(
            Path(tempfile.gettempdir()) / "bench-reading.sqlite3"
        )
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    rng = random.Random(11)
    try:
        from django.contrib.auth.models import Group, User
        from django.test import Client

        from articles.models import Article, ArticleViewDay
        from people import roles
        from people.models import Office, Profile
        from search.models import SearchQuery

        print(f"database: {vendor}")
        if args.keepdb and ArticleViewDay.objects.exists():
            print("reusing the data of the kept test database")
        else:
            start = time.perf_counter()
            views_built = build(args, rng, vendor)
            print(
                f"built in {time.perf_counter() - start:.1f} s "
                f"(the view rows in {views_built:.1f} s)"
            )
        print(
            f"{Article.objects.count():,} articles, {Office.objects.count()} offices, "
            f"{ArticleViewDay.objects.count():,} view rows (article × office × day), "
            f"{SearchQuery.objects.count():,} searches"
        )
        editor, _ = User.objects.get_or_create(username="bench-editor")
        editor.groups.add(Group.objects.get(name=roles.EDITOR))
        head, _ = User.objects.get_or_create(username="bench-head")
        head.groups.add(Group.objects.get(name=roles.MANAGER))
        job_centre = Office.objects.filter(kind=Office.Kind.JOB_CENTRE).order_by("pk").first()
        Profile.objects.update_or_create(user=head, defaults={"office": job_centre})
        region, manager = Client(), Client()
        region.force_login(editor)
        manager.force_login(head)
        section = Article.objects.order_by("pk").first().section.parent_id
        year_start = (dt.date.today() - dt.timedelta(days=365)).isoformat()
        url = "/dashboards/reading/"
        pages = [
            ("region, 30 days", region, url),
            ("region, 90 days (weekly)", region, f"{url}?period=90"),
            ("region, 365 days", region, f"{url}?period=custom&start={year_start}"),
            ("region, a section, 90 days", region, f"{url}?period=90&section={section}"),
            ("one job centre's manager, 30 days", manager, url),
            ("one job centre's manager, 90 days", manager, f"{url}?period=90"),
            ("CSV export, region, 90 days", region, f"{url}export.csv?period=90"),
            ("admin list (100 articles)", region, "/admin/articles/article/"),
            ("admin list sorted by views", region, "/admin/articles/article/?o=-10"),
        ]
        print(f"{'page':36} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
        for name, client, address in pages:
            count, median, p95 = measure(client, address, args.repeat)
            print(f"{name:36} {count:7d} {median:8.1f} {p95:8.1f}")
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
