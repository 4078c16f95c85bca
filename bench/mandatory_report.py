"""Benchmark of «Ознакомление с обязательными документами» (/mandatory/report/).

    .venv/bin/python bench/mandatory_report.py [--repeat 100] [--large-repeat 10]
        [--staff 600] [--documents 50] [--large-staff 50000] [--large-documents 200]
        [--skip-large]

Uses the database DATABASE_URL points to (SQLite by default) but always in a
throw-away test database, so it never touches real data. Loads the demo
office tree (80 offices: the managing centre, 32 territorial departments,
47 job centres) and the positions, then for each case — the target one
(600 staff × 50 mandatory documents) and a federal-sized one (50,000 staff ×
200 documents) — generates the staff over the offices, the documents with
audiences of every shape (a third for everyone; positions, office subtrees,
both, roles) and deadlines (past, near, none), re-acknowledgement rounds on
some, and acknowledgements of about 60 % of each audience (per office from none to
all, some after the deadline; after a round part on the old version only).
Prints the number of queries and the p50 / p95 server time of the report
through Django's full request stack: the region, one document, a department
drilled into (with the page of who has not read), a department's manager,
and the CSV export of a department.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")

FIRST = ["Анна", "Елена", "Ольга", "Мария", "Иван", "Сергей", "Дмитрий", "Наталья"]
LAST = ["Иванова", "Смирнова", "Кузнецова", "Попов", "Васильев", "Петрова", "Соколов"]


def write(table, columns, rows, vendor):
    """Insert ``rows`` (tuples in ``columns`` order) fast: COPY or executemany."""
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        chunk = []
        for row in rows:
            chunk.append(
                tuple(
                    connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
                    for v in row
                )
            )
            if len(chunk) == 20_000:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def reference_data():
    """The demo's offices and positions, and a section for the documents."""
    from articles.models import Section
    from fixtures import demo_content
    from kb_portal.demo import _seed_offices
    from people.demo import seed_positions

    _seed_offices(demo_content.OFFICES, parent=None)
    seed_positions()
    return Section.objects.create(title="Обязательные документы", slug="obyazatelnye")


def clear():
    from django.contrib.auth.models import User

    from articles.models import Acknowledgement, AcknowledgementRound, Article
    from people.models import Audience

    Acknowledgement.objects.all().delete()
    AcknowledgementRound.objects.all().delete()
    Article.all_objects.all()._raw_delete(Article.all_objects.db)
    Audience.objects.all().delete()
    User.objects.filter(username__startswith="b-").delete()


def build(staff, documents, section, rng, vendor):
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from articles.models import Acknowledgement, Article
    from people import roles
    from people.audiences import AudienceSpec, audience_save, members
    from people.models import Office, Position, Profile

    offices = list(Office.objects.order_by("tree_id", "lft"))
    job_centres = [o for o in offices if o.kind == Office.Kind.JOB_CENTRE]
    departments = [o for o in offices if o.kind == Office.Kind.DEPARTMENT]
    positions = list(Position.objects.order_by("title"))
    now = timezone.now()
    password = "!"  # unusable
    # Staff: most in job centres, some in departments and the centre.
    homes = []
    for i in range(staff):
        roll = i % 10
        home = offices[0] if roll == 0 else (rng.choice(departments) if roll == 1 else None)
        homes.append(home or rng.choice(job_centres))
    write(
        User._meta.db_table,
        [
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
        ],
        (
            (
                password,
                False,
                f"b-{i:06d}",
                rng.choice(FIRST),
                rng.choice(LAST),
                "",
                False,
                True,
                now,
            )
            for i in range(staff)
        ),
        vendor,
    )
    ids = dict(User.objects.filter(username__startswith="b-").values_list("username", "pk"))
    user_ids = [ids[f"b-{i:06d}"] for i in range(staff)]
    held = [rng.choice(positions) for _ in range(staff)]
    write(
        Profile._meta.db_table,
        ["user_id", "office_id", "position_id", "phone"],
        ((uid, home.pk, pos.pk, "") for uid, home, pos in zip(user_ids, homes, held, strict=True)),
        vendor,
    )
    staff_role = Group.objects.get(name=roles.STAFF)
    manager_role = Group.objects.get(name=roles.MANAGER)
    through = User.groups.through._meta.db_table
    write(
        through,
        ["user_id", "group_id"],
        (
            (uid, manager_role.pk if i % 40 == 0 else staff_role.pk)
            for i, uid in enumerate(user_ids)
        ),
        vendor,
    )
    # Documents with audiences of every shape.
    today = timezone.localdate()
    articles = []
    for i in range(documents):
        deadline = [None, today - dt.timedelta(days=10), today + dt.timedelta(days=5)][i % 3]
        rounds = i % 7 == 3
        articles.append(
            Article(
                section=section,
                title=f"Обязательный документ {i:03d}",
                slug=f"obyazatelnyj-{i:03d}",
                kind=Article.Kind.DOCUMENT,
                status=Article.Status.PUBLISHED,
                mandatory=True,
                mandatory_deadline=deadline,
                published_at=now,
                updated_at=now,
                version=2 if rounds else 1,
                ack_required_version=2 if rounds else 0,
            )
        )
    Article.objects.bulk_create(articles, batch_size=1000)
    articles = list(Article.objects.filter(section=section).order_by("slug"))
    specs = []
    for i, article in enumerate(articles):
        shape = i % 6
        if shape in (0, 5):
            spec = AudienceSpec()
        elif shape == 1:
            spec = AudienceSpec.of(positions=rng.sample(positions, rng.randint(1, 3)))
        elif shape == 2:
            spec = AudienceSpec.of(offices=rng.sample(departments, rng.randint(1, 3)))
        elif shape == 3:
            spec = AudienceSpec.of(
                offices=rng.sample(departments, rng.randint(2, 6)),
                positions=rng.sample(positions, rng.randint(2, 5)),
            )
        elif shape == 4:
            spec = AudienceSpec.of(positions=rng.sample(positions, 2), roles=[manager_role])
        if not spec.everyone:
            article.mandatory_audience = audience_save(audience=None, spec=spec)
            Article.all_objects.filter(pk=article.pk).update(
                mandatory_audience=article.mandatory_audience
            )
        specs.append(spec)
    # Acknowledgements: about 60 % of each audience, per office from none to all.
    rate = {office.pk: rng.choice([0.0, 0.3, 0.6, 0.8, 1.0, 1.0]) for office in offices}
    home_of = dict(zip(user_ids, homes, strict=True))

    # One document at a time: its audience is read first (the connection is
    # busy during a COPY), and only one audience is held in memory.
    for article, spec in zip(articles, specs, strict=True):
        cutoff = None
        if article.mandatory_deadline:
            cutoff = timezone.make_aware(
                dt.datetime.combine(article.mandatory_deadline, dt.time.min)
            )
        people = list(members(spec).filter(username__startswith="b-").values_list("pk", flat=True))
        rows = []
        for uid in people:
            if rng.random() >= rate[home_of[uid].pk]:
                continue
            at = now - dt.timedelta(days=rng.randint(1, 30))
            if cutoff and rng.random() < 0.2:
                at = min(now, cutoff + dt.timedelta(days=rng.randint(0, 5)))
            version = article.version
            if article.ack_required_version and rng.random() < 0.4:
                version = 1  # read before the round only
            rows.append((article.pk, uid, at, version))
        write(
            Acknowledgement._meta.db_table,
            ["article_id", "user_id", "acknowledged_at", "article_version"],
            rows,
            vendor,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return articles, departments


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the code paths, as a running server would have them
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


def run_case(staff, documents, repeat, section, rng, vendor, keep=False):
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from articles.models import Acknowledgement, Article
    from people import roles
    from people.models import Office, Profile

    start = time.perf_counter()
    kept = User.objects.filter(username__startswith="b-").count() == staff
    if keep and kept:
        print("reusing the data of the kept test database")
        articles = list(Article.objects.filter(section=section).order_by("slug"))
        departments = list(Office.objects.filter(kind=Office.Kind.DEPARTMENT))
    else:
        clear()
        articles, departments = build(staff, documents, section, rng, vendor)
    from articles.report import pair_counts

    marks = Acknowledgement.objects.count()
    pairs = sum(c.audience for c in pair_counts(documents=articles).values())
    print(
        f"\n{staff:,} staff × {documents} documents × {Office.objects.count()} offices: "
        f"{pairs:,} (document, person) pairs in audiences, {marks:,} acknowledgements; "
        f"built in {time.perf_counter() - start:.1f} s"
    )
    wg, _ = User.objects.get_or_create(username="bench-wg")
    wg.groups.add(Group.objects.get(name=roles.WORKING_GROUP))
    head, _ = User.objects.get_or_create(username="bench-head")
    head.groups.add(Group.objects.get(name=roles.MANAGER))
    department = max(departments, key=lambda o: o.staff.count())
    Profile.objects.update_or_create(user=head, defaults={"office": department})
    region, manager = Client(), Client()
    region.force_login(wg)
    manager.force_login(head)
    one = articles[len(articles) // 2]
    pages = [
        ("region, all documents", region, "/mandatory/report/"),
        ("region, one document", region, f"/mandatory/report/?article={one.pk}"),
        ("department drilled into", region, f"/mandatory/report/?office={department.pk}"),
        ("department's manager", manager, "/mandatory/report/"),
        ("CSV export, department", region, f"/mandatory/report/export.csv?office={department.pk}"),
    ]
    print(f"{'page':32} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for name, client, url in pages:
        count, median, p95 = measure(client, url, repeat)
        print(f"{name:32} {count:7d} {median:8.1f} {p95:8.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--staff", type=int, default=600)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--large-repeat", type=int, default=10)
    parser.add_argument("--large-staff", type=int, default=50_000)
    parser.add_argument("--large-documents", type=int, default=200)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--only-large", action="store_true")
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="keep the test database afterwards and reuse its data next time (one case only)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    old_name = db["NAME"]
    if args.keepdb and vendor == "sqlite3":
        db["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / "bench-mandatory.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    rng = random.Random(42)
    try:
        from articles.models import Section

        section = Section.objects.filter(slug="obyazatelnye").first() or reference_data()
        print(f"database: {vendor}")
        if not args.only_large:
            run_case(args.staff, args.documents, args.repeat, section, rng, vendor, args.keepdb)
        if not args.skip_large:
            run_case(
                args.large_staff,
                args.large_documents,
                args.large_repeat,
                section,
                rng,
                vendor,
                args.keepdb,
            )
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
