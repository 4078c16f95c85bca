"""Benchmark of the CX dashboard at 1,000,000 client responses.

    .venv/bin/python bench/dashboard.py [--responses 1000000] [--repeat 50] [--via-import]

Cold and warm are measured separately: cold computes the figures on every
request (the first view after an import, or a new filter), warm takes them
from Django's cache, where they are keyed by a stamp of the data.

Uses the database DATABASE_URL points to (SQLite by default) but always in a
throw-away test database, so it never touches real data. Loads the demo
office tree (1 centre, 32 departments, 47 job centres), writes N responses
over 18 months straight into the table (COPY on PostgreSQL, executemany on
SQLite) — or, with --via-import, through ``bench/feedback_import.py``'s CSV
and the real import — rebuilds the monthly slices, then prints the number of
queries and the median/p95 server time of the dashboard (whole region, one
department, one job centre, a year, exports) and of the home page with its
pulse, rendered through Django's full request stack as a logged-in manager.
"""

import argparse
import datetime as dt
import hashlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")

COMMENTS = [
    "Всё понятно объяснили, спасибо",
    "Долго ждала в очереди",
    "Вежливый специалист, помогла с резюме",
    "Не смогли подобрать вакансию",
    "Удобная запись через портал",
    "Пришлось приходить три раза",
]
# Pieces of which `comment_text` builds varied comments (topics and search
# must not profit from a handful of repeated texts).
FRAGMENTS = [
    "долго ждала в очереди",
    "очередь огромная",
    "талон не сработал",
    "специалист вежливый и внимательный",
    "разговаривали грубо",
    "записалась на приём через портал",
    "на сайте Работа России ошибка",
    "личный кабинет не открывается",
    "пособие пришло с задержкой",
    "выплату так и не начислили",
    "подобрали хорошую вакансию",
    "вакансий по профессии нет",
    "направили на обучение",
    "курсы переобучения полезные",
    "нет пандуса у входа",
    "в зале душно и тесно",
    "не дозвониться по телефону",
    "справку выдали сразу",
    "попросили ещё документы",
    "консультация подробная",
    "всё объяснили понятно",
    "спасибо за помощь",
    "пришлось приходить три раза",
    "приняли точно по времени",
    "сотрудник торопился",
    "в целом нормально",
    "хотелось бы больше информации",
    "ответили на все вопросы",
    "кабинет 305 был закрыт",
    "ждали с 9:00 до 11:30",
]


def comment_text(rng):
    """A comment of one to three pieces, now and then with a phone or a name."""
    parts = rng.sample(FRAGMENTS, rng.randint(1, 3))
    text = ", ".join(parts).capitalize() + rng.choice([".", "!", "", "..."])
    roll = rng.random()
    if roll < 0.01:
        text += f" Перезвоните 8-9{rng.randint(10, 99)}-{rng.randint(100, 999)}-12-34."
    elif roll < 0.02:
        text = f"Меня зовут {rng.choice(['Анна', 'Ольга', 'Иван'])}. " + text
    return text


SERVICES = [
    "Содействие в поиске работы",
    "Регистрация в качестве безработного",
    "Профессиональное обучение",
    "Профориентация",
    "Подбор работников работодателю",
    "Информирование о положении на рынке труда",
    "Социальная адаптация",
    "Содействие самозанятости",
    "Организация временного трудоустройства",
    "Психологическая поддержка",
]


def reference_data():
    from feedback.models import Service
    from fixtures import demo_content
    from kb_portal.demo import _seed_offices
    from people.models import Office

    if not Office.objects.exists():
        _seed_offices(demo_content.OFFICES, parent=None)
    for i, title in enumerate(SERVICES):
        Service.objects.get_or_create(code=f"bench-{i}", defaults={"title": title})


def _score(rng, quality):
    """A 1–5 answer, blank about 5 % of the time, better where quality is high."""
    if rng.random() < 0.05:
        return None
    roll = rng.random() + quality
    if roll > 1.15:
        return 5
    if roll > 0.85:
        return 4
    if roll > 0.6:
        return 3
    if roll > 0.4:
        return 2
    return 1


def generate_rows(n, rng, months=18):
    """Tuples in the order of ``columns()``, for COPY or executemany."""
    from django.utils import timezone

    from feedback.models import Channel, ClientGroup, Service
    from people.models import Office

    offices = list(Office.objects.exclude(parent=None).values_list("id", flat=True))
    # Some offices clearly better or worse; a few with very few answers.
    quality = {pk: rng.uniform(0.2, 0.55) for pk in offices}
    weights = [0.02 if i % 17 == 0 else 1.0 for i in range(len(offices))]
    services = list(Service.objects.values_list("id", flat=True))
    groups = ClientGroup.values
    channels = Channel.values
    tz = timezone.get_current_timezone()
    today = dt.date.today().replace(day=1)
    month_list = []
    m = today
    for _ in range(months):
        month_list.append(m)
        m = (m - dt.timedelta(days=1)).replace(day=1)
    # Reference data is read now: the rows are consumed inside COPY, when the
    # connection cannot run another query.
    return _rows(n, rng, offices, weights, quality, services, groups, channels, tz, month_list)


def _rows(n, rng, offices, weights, quality, services, groups, channels, tz, month_list):
    # Offices send their exports month by month, so the table holds a month's
    # responses roughly together, as it will in production.
    ordered_months = sorted(month_list)
    for i in range(n):
        office = rng.choices(offices, weights)[0]
        q = quality[office]
        month = ordered_months[i * len(ordered_months) // n]
        submitted = dt.datetime(
            month.year,
            month.month,
            rng.randint(1, 28),
            rng.randint(8, 18),
            rng.randint(0, 59),
            tzinfo=tz,
        )
        employer = rng.random() < 0.12
        solved = rng.random() + q
        yield (
            "survey",
            f"b{i}",
            hashlib.sha256(f"bench-{i}".encode()).hexdigest(),
            submitted,
            month,
            office,
            "employer" if employer else "citizen",
            "other" if employer else rng.choice(groups),
            rng.choice(services) if rng.random() < 0.9 else None,
            rng.choice(channels),
            *(_score(rng, q) for _ in range(8)),
            None if rng.random() < 0.1 else min(10, max(0, round(rng.gauss(6 + q * 6, 2)))),
            "yes" if solved > 0.9 else ("partly" if solved > 0.6 else "no"),
            rng.randint(0, 60),
            rng.randint(1, 4),
            rng.random() < 0.6 + q / 2,
            rng.random() < 0.01,
            None,
            *_comment(rng),
        )


OPTIONS = {"comment_share": 0.08}  # set by --comment-share


def _comment(rng):
    """(comment, its terms) as the import stores them: masked and analysed."""
    from feedback.masking import comment_mask
    from feedback.topics import comment_terms

    if rng.random() >= OPTIONS["comment_share"]:
        return "", ""
    text = comment_mask(comment_text(rng))
    return text, comment_terms(text)


COLUMNS = (
    "source",
    "external_id",
    "dedup_key",
    "submitted_at",
    "month",
    "office_id",
    "client_type",
    "client_group",
    "service_id",
    "channel",
    "csat",
    "politeness",
    "competence",
    "waiting",
    "comfort",
    "information",
    "relevance",
    "ces",
    "nps",
    "problem_solved",
    "wait_minutes",
    "visits_count",
    "on_time",
    "complaint",
    "complaint_justified",
    "comment",
    "comment_terms",
)


def insert_rows(n, rng, vendor):
    from django.db import connection

    from feedback.models import FeedbackResponse

    table = FeedbackResponse._meta.db_table
    # Columns the import engineer may have added with a default get it here.
    extra = [
        f
        for f in FeedbackResponse._meta.concrete_fields
        if f.column not in COLUMNS and not f.primary_key and not f.null
    ]
    columns = [*COLUMNS, *(f.column for f in extra)]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
    rows = (row + defaults for row in generate_rows(n, rng))
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            chunk = []
            for row in rows:
                chunk.append(
                    tuple(v.isoformat() if isinstance(v, dt.datetime | dt.date) else v for v in row)
                )
                if len(chunk) == 20_000:
                    cursor.executemany(sql, chunk)
                    chunk = []
            if chunk:
                cursor.executemany(sql, chunk)


def add_indicators(rng):
    from feedback.models import MonthlySlice, OperationalIndicator

    pairs = MonthlySlice.objects.values_list("office_id", "month").distinct()
    OperationalIndicator.objects.bulk_create(
        [
            OperationalIndicator(office_id=office, month=month, code=code, value=value)
            for office, month in pairs
            for code, value in (
                ("wait_minutes", rng.uniform(5, 40)),
                ("on_time_share", rng.uniform(80, 100)),
                ("contacts", rng.randint(200, 3000)),
                ("complaints", rng.randint(0, 20)),
            )
        ],
        batch_size=2000,
    )


def topics_block(repeat, department, latest):
    """The topics block alone (its one query and the rows), as the report computes it."""
    from dashboards import selectors
    from dashboards.forms import Filters, PeriodKind, last_complete, period_for
    from feedback.models import ResponseTopic

    tree = selectors.OfficeTree(selectors.offices_all())
    quarter = last_complete(PeriodKind.QUARTER, latest=latest, current_month=latest)
    cases = {
        "region, quarter": (Filters(period=quarter), None),
        "region, year": (Filters(period=period_for(PeriodKind.YEAR, latest)), None),
        "department, quarter": (
            Filters(period=quarter, office_id=department.pk),
            [o.pk for o in tree.subtree(department)],
        ),
    }
    print(f"topics block ({ResponseTopic.objects.count():,} topic links):")
    for name, (filters, office_ids) in cases.items():
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            rows = selectors.topic_rows(filters, office_ids, responses=1, previous_responses=1)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[max(int(len(times) * 0.95) - 1, 0)]
        print(
            f"  {name:26} {len(rows):3d} topics, {sum(r.count for r in rows):8,} mentions: "
            f"median {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms"
        )


def measure(client, url, repeat, *, cold=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the code paths, as a running server would have them
    if cold:
        cold()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)
    times = []
    for _ in range(repeat):
        if cold:
            cold()
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return query_count, statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--via-import",
        action="store_true",
        help="write the rows through bench/feedback_import.py (CSV + import_feedback)",
    )
    parser.add_argument(
        "--comment-share",
        type=float,
        default=OPTIONS["comment_share"],
        help="share of responses with a comment (varied texts, tagged with the topics)",
    )
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="keep the test database afterwards and reuse its rows next time",
    )
    args = parser.parse_args()
    OPTIONS["comment_share"] = args.comment_share

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    rng = random.Random(42)
    try:
        from django.contrib.auth.models import Group, User

        from feedback.aggregates import slices_refresh
        from feedback.models import FeedbackResponse, MonthlySlice, OperationalIndicator, Topic
        from people import roles
        from people.models import Office, Profile

        reference_data()
        start = time.perf_counter()
        if args.keepdb and FeedbackResponse.objects.exists():
            print("reusing the responses of the kept test database")
        elif args.via_import:
            sys.path.append(str(ROOT / "bench"))
            import feedback_import

            path = Path(tempfile.mkdtemp()) / "feedback.csv"
            feedback_import.generate_csv(path, args.responses)
            took_csv = time.perf_counter() - start
            start = time.perf_counter()
            feedback_import.import_csv(path)
            print(
                f"CSV written in {took_csv:.1f} s; imported in {time.perf_counter() - start:.1f} s"
            )
        else:
            insert_rows(args.responses, rng, vendor)
            took = time.perf_counter() - start
            print(f"inserted {args.responses:,} responses in {took:.1f} s")
            start = time.perf_counter()
            slices_refresh()
            print(f"slices_refresh() in {time.perf_counter() - start:.1f} s")
            from feedback.topics import topics_reapply

            links, took = topics_reapply()
            print(f"topics_reapply(): {links:,} topic links in {took:.1f} s")
        if not OperationalIndicator.objects.exists():
            add_indicators(rng)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"database: {vendor}; {FeedbackResponse.objects.count():,} responses, "
            f"{MonthlySlice.objects.count():,} monthly slices"
        )

        user, _created = User.objects.get_or_create(username="bench-manager")
        user.groups.add(Group.objects.get(name=roles.MANAGER))
        # The regional manager (the region's root office): every page below is in scope.
        Profile.objects.update_or_create(
            user=user, defaults={"office": Office.objects.get(parent=None)}
        )
        client = Client()
        client.force_login(user)
        department = (
            Office.objects.filter(kind=Office.Kind.DEPARTMENT, children__isnull=False)
            .order_by("id")
            .first()
        )
        job_centre = Office.objects.filter(kind=Office.Kind.JOB_CENTRE).order_by("id").first()
        latest = MonthlySlice.objects.order_by("-month").values_list("month", flat=True)[0]
        pages = {
            "region, quarter": "/dashboards/cx/",
            "region, year": f"/dashboards/cx/?period=year&month={latest:%Y-%m}",
            "department, quarter": f"/dashboards/cx/?office={department.pk}",
            "job centre, quarter": f"/dashboards/cx/?office={job_centre.pk}",
            "region, citizens, youth": "/dashboards/cx/?client_type=citizen&client_group=youth",
            "export XLSX, region": "/dashboards/cx/export.xlsx",
            "export CSV, department": f"/dashboards/cx/export.csv?office={department.pk}",
            "home page with pulse": "/",
            "comments, one topic": "/dashboards/cx/comments/?topic="
            + str(Topic.objects.order_by("order").values_list("pk", flat=True)[0]),
            "comments, searched": "/dashboards/cx/comments/?" + urlencode({"q": "очередь"}),
        }
        from dashboards import selectors

        cached = selectors.cached
        print(
            "cold = the figures computed (first view after an import, or a new filter); "
            "warm = from the cache, keyed by the data stamp"
        )
        print(f"{'page':28} {'':5} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
        for name, url in pages.items():
            for state in ("cold", "warm"):
                if state == "cold":
                    selectors.cached = lambda name, stamp, parts, compute, timeout=0: compute()
                count, median, p95 = measure(client, url, args.repeat)
                selectors.cached = cached
                print(f"{name:28} {state:5} {count:7d} {median:10.1f} {p95:8.1f}")
        topics_block(args.repeat, department, latest)
    finally:
        if args.keepdb:
            connection.close()
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
