"""Benchmark of the staff pages: query counts and server time at 10,000 articles.

    .venv/bin/python bench/pages.py [--articles 10000] [--repeat 200] [--http-seconds 15]

Uses the database DATABASE_URL points to (SQLite by default) but always in a
throw-away test database, so it never touches real data. Prints, for the home,
section and article pages: the number of queries, and the median and p95
server time over repeated renders through Django's full request stack
(middleware, session, auth, templates). With --http-seconds > 0 it also starts
gunicorn with 2 sync workers on the same database and measures requests per
second for the article page over real HTTP on 127.0.0.1.
"""

import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")

WORDS = [
    "клиент",
    "служба",
    "занятости",
    "центр",
    "специалист",
    "услуга",
    "работодатель",
    "соискатель",
    "маршрут",
    "профиль",
    "стандарт",
    "скрипт",
    "консультация",
    "вакансия",
    "обучение",
    "поддержка",
    "запись",
    "приём",
    "обращение",
    "качество",
    "сервис",
    "опыт",
    "ожидание",
    "результат",
    "документ",
    "анкета",
    "оценка",
    "индекс",
    "кодекс",
    "клиентоцентричность",
    "встреча",
    "навигация",
    "помощь",
    "выплата",
    "пособие",
    "трудоустройство",
]


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def build(n_articles, rng):
    from django.contrib.auth.models import Group, User
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Section
    from people import roles

    sections = []
    for r in range(4):
        root = Section.objects.create(title=f"Раздел {r}", slug=f"root-{r}")
        sections.append(root)
        for c in range(6):
            child = Section.objects.create(
                title=f"Подраздел {r}.{c}", slug=f"s-{r}-{c}", parent=root
            )
            sections.append(child)
            for g in range(1):
                sections.append(
                    Section.objects.create(
                        title=f"Тема {r}.{c}.{g}", slug=f"t-{r}-{c}-{g}", parent=child
                    )
                )
    now = timezone.now()
    body = "".join(f"<h2>{words(rng, 4)}</h2><p>{words(rng, 150)}</p>" for _ in range(8))
    batch = []
    for i in range(n_articles):
        batch.append(
            Article(
                section=rng.choice(sections),
                title=f"{words(rng, 5)} {i}",
                slug=f"article-{i}",
                summary=words(rng, 25),
                body=body,
                kind=rng.choice(Article.Kind.values),
                status=Article.Status.PUBLISHED,
                mandatory=i % 200 == 0,
                published_at=now - timezone.timedelta(days=i % 700),
                updated_at=now - timezone.timedelta(days=i % 300),
                review_due=(now + timezone.timedelta(days=(i % 400) - 50)).date(),
                view_count=rng.randint(0, 5000),
                version=1,
            )
        )
    Article.objects.bulk_create(batch, batch_size=1000)
    tags = [Tag.objects.create(name=f"метка {t}", slug=f"metka-{t}") for t in range(60)]
    ids = list(Article.objects.values_list("id", flat=True))
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Article)
    items = [
        TaggedItem(tag=tag, content_type=ct, object_id=article_id)
        for article_id in ids
        for tag in rng.sample(tags, 3)
    ]
    TaggedItem.objects.bulk_create(items, batch_size=2000)
    through = Article.related.through
    links = []
    for article_id in ids[:5000]:
        other = rng.choice(ids)
        if other != article_id:
            links.append(through(from_article_id=article_id, to_article_id=other))
            links.append(through(from_article_id=other, to_article_id=article_id))
    through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh planner statistics, as autovacuum / a maintained SQLite would have.
        cursor.execute("ANALYZE")
    user = User.objects.create_user("bench", password="bench-pass-123")
    user.groups.add(Group.objects.get(name=roles.STAFF))
    _target(user, sections, ids, rng)
    return user, sections


def _target(user, sections, ids, rng):
    """«Для вас»: the reader holds a position in a job centre; a few sections
    and 1 % of the articles are targeted at positions and office subtrees
    (some at the reader), among 80 offices and 600 staff."""
    from articles.models import Article
    from articles.services import article_target_apply, section_target_apply
    from people.audiences import AudienceSpec
    from people.models import Office, Position, Profile

    centre = Office.objects.create(title="Центр", code="centre", kind="center")
    departments = [
        Office.objects.create(title=f"Отдел {d}", code=f"to-{d}", kind="department", parent=centre)
        for d in range(8)
    ]
    offices = [
        Office.objects.create(
            title=f"ЦЗН {d}.{c}", code=f"czn-{d}-{c}", kind="job_centre", parent=department
        )
        for d, department in enumerate(departments)
        for c in range(9)
    ]
    Office.objects.rebuild()
    positions = [Position.objects.create(title=f"должность {p}") for p in range(20)]
    from django.contrib.auth.models import User

    staff = User.objects.bulk_create(User(username=f"staff-{i}") for i in range(600))
    Profile.objects.bulk_create(
        Profile(user=u, office=rng.choice(offices), position=rng.choice(positions)) for u in staff
    )
    Profile.objects.create(user=user, office=offices[0], position=positions[0])
    departments = list(Office.objects.filter(kind="department").order_by("code"))
    specs = [
        AudienceSpec.of(positions=[positions[0]]),
        AudienceSpec.of(offices=[departments[0]]),
        AudienceSpec.of(offices=[departments[1]], positions=[positions[1]]),
        AudienceSpec.of(positions=[positions[2], positions[3]]),
    ]
    for i, section in enumerate(sections[1:9]):
        section_target_apply(section=section, spec=specs[i % len(specs)])
    for i, article_id in enumerate(ids[:: len(ids) // max(1, len(ids) // 100)]):
        article_target_apply(article=Article(pk=article_id), spec=specs[i % len(specs)])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches, as a running server would have them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    query_count = len(queries)  # read now: the next request resets the query log
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return query_count, statistics.median(times), times[int(len(times) * 0.95) - 1]


def http_rps(url, cookie, seconds, port):
    counts, stop = [0, 0], time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", url, headers={"Cookie": cookie, "Host": "localhost"})
            response = conn.getresponse()
            response.read()
            counts[0 if response.status == 200 else 1] += 1
            if response.status != 200 and counts[1] == 1:
                print("  first non-200 answer:", response.status, response.getheader("Location"))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts[0] / seconds, counts[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--http-seconds", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # No setup_test_environment(): its template instrumentation would slow
    # rendering down and make the numbers worse than a real server's.
    settings.ALLOWED_HOSTS = ["*"]
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        # A file, not memory, so gunicorn workers can open the same database.
        db.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    old_name = db["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rng = random.Random(42)
    try:
        start = time.perf_counter()
        user, _sections = build(args.articles, rng)
        took = time.perf_counter() - start
        print(f"database: {vendor}; built {args.articles} articles in {took:.1f} s")
        from django.db.models import Count

        from articles.models import Article

        article = Article.objects.select_related("section").order_by("id")[args.articles // 2]
        busiest = (
            Article.objects.values("section__slug").annotate(n=Count("id")).order_by("-n").first()
        )
        client = Client()
        client.force_login(user)
        pages = {
            "home": "/",
            "for you": "/for-you/",
            f"section ({busiest['n']} articles)": f"/kb/{busiest['section__slug']}/",
            "article (~1,200 words)": article.get_absolute_url(),
        }
        print(f"{'page':32} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
        for name, url in pages.items():
            count, median, p95 = measure(client, url, args.repeat)
            print(f"{name:32} {count:7d} {median:10.1f} {p95:8.1f}")
        if args.http_seconds > 0:
            cookie = f"sessionid={client.cookies['sessionid'].value}"
            run_gunicorn(vendor, db, test_name, article.get_absolute_url(), cookie, args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run_gunicorn(vendor, db, test_name, url, cookie, args):
    port = 8765
    from django.conf import settings

    # The same key as this process, or the session cookie made here is refused.
    env = dict(os.environ, DEBUG="0", SECRET_KEY=settings.SECRET_KEY, ALLOWED_HOSTS="localhost")
    env.update(SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0")
    env["DJANGO_SETTINGS_MODULE"] = "kb_portal.settings"
    if vendor == "sqlite3":
        env["DATABASE_URL"] = f"sqlite:///{test_name}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{test_name}"
        )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kb_portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        http_rps(url, cookie, 2, port)  # warm-up
        if shutil.which("ab"):
            # ApacheBench is written in C and leaves the CPU to the server.
            result = subprocess.run(
                [
                    "ab",
                    "-q",
                    "-c",
                    "4",
                    "-t",
                    str(args.http_seconds),
                    "-n",
                    "1000000",
                    "-H",
                    f"Cookie: {cookie}",
                    "-H",
                    "Host: localhost",
                    f"http://127.0.0.1:{port}{url}",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            fields = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
            rps = float(fields["Requests per second"].split()[0])
            errors = int(fields.get("Non-2xx responses", "0").strip() or 0)
            tool = "ab -c 4"
        else:
            rps, errors = http_rps(url, cookie, args.http_seconds, port)
            tool = "4 Python threads (install apache2-utils for ab)"
        print(
            f"gunicorn, 2 sync workers, article page over HTTP ({tool}): {rps:.0f} requests/s "
            f"({errors} non-200 responses)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
