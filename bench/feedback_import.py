"""Benchmark of the feedback import: a realistic CSV of N rows, imported by
``manage.py import_feedback`` (validation, dedup, writing, slices) in one go.

    .venv/bin/python bench/feedback_import.py [--rows 1000000] [--again] [--answers skewed]

Uses the database DATABASE_URL points to (SQLite by default) but always in a
throw-away test database. Prints the time to import the file and rows per
second; with --again it imports the same file a second time (every row a
duplicate) and times that too. ``generate_csv`` and ``import_csv`` are meant
to be reused by the dashboard benchmark.

``--answers`` chooses how NPS and «вопрос решён» are spread. ``uniform`` (the
default, as every earlier measurement) draws NPS evenly from 0–10 and «нет»
for a quarter of the answers, so about 40 % of the rows open a case (NPS ≤ 4
with a comment alone is 45 % × 5/8). ``skewed`` is closer to real answers
of clients, most of whom are content: NPS 9–10 for 60 %, 7–8 for 25 %, 0–6
for 15 % (0–4 for about 11 %), «нет» for 10 %; about 15 % of the rows then
open a case. The other columns are the same in both.
"""

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")

COMMENTS = [
    "Всё понятно объяснили, спасибо",
    "Долго ждала в очереди",
    "Вежливый специалист",
    "",
    "",
    "",
    "Не смогли подобрать вакансию",
    "Удобная запись через портал",
]


def reference_data():
    """Offices and services as the demo has them (created when missing)."""
    from feedback.demo import seed_services
    from fixtures import demo_content
    from kb_portal.demo import _seed_offices
    from people.models import Office

    if not Office.objects.exists():
        _seed_offices(demo_content.OFFICES, parent=None)
    seed_services()


def _nps_uniform(rng):
    return rng.randint(0, 10)


def _nps_skewed(rng):
    draw = rng.random()
    if draw < 0.60:
        return rng.randint(9, 10)
    if draw < 0.85:
        return rng.randint(7, 8)
    return rng.randint(0, 6)


ANSWERS = {
    # NPS, and the «вопрос решён» answers drawn from evenly
    "uniform": (_nps_uniform, ["да", "да", "частично", "нет"]),
    "skewed": (_nps_skewed, ["да"] * 7 + ["частично"] * 2 + ["нет"]),
}


def generate_csv(path, rows, *, seed=42, months=18, answers="uniform"):
    """A template-shaped CSV of ``rows`` responses over the last ``months``."""
    from feedback.importers import FEEDBACK_COLUMNS
    from feedback.models import Service
    from people.models import Office

    rng = random.Random(seed)
    offices = list(Office.objects.values_list("title", flat=True))
    services = list(Service.objects.values_list("title", flat=True))
    groups = ["соискатель", "безработный", "инвалид", "молодёжь/студент", "предпенсионер 50+"]
    channels = ["очно", "ЕЦП", "ЕПГУ", "телефон"]
    sources = ["анкета", "ЕЦП «Работа России»", "ПОС/Госуслуги", "QR-код"]
    start = dt.datetime.now() - dt.timedelta(days=30 * months)
    span = 30 * months * 24 * 3600
    nps, solved = ANSWERS[answers]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([str(column.header) for column in FEEDBACK_COLUMNS])
        for i in range(rows):
            employer = rng.random() < 0.15
            score = lambda: str(min(5, max(1, round(rng.gauss(4.2, 0.9)))))  # noqa: E731
            submitted = start + dt.timedelta(seconds=rng.randrange(span))
            writer.writerow(
                [
                    f"B-{i}",
                    rng.choice(sources),
                    submitted.strftime("%d.%m.%Y %H:%M"),
                    rng.choice(offices),
                    "работодатель" if employer else "гражданин",
                    "иное" if employer else rng.choice(groups),
                    rng.choice(services),
                    rng.choice(channels),
                    score(),
                    score(),
                    score(),
                    score() if rng.random() < 0.8 else "",
                    score(),
                    score(),
                    score(),
                    score(),
                    str(nps(rng)),
                    rng.choice(solved),
                    str(rng.randint(0, 60)),
                    str(rng.randint(1, 3)),
                    rng.choice(["да", "да", "да", "нет"]),
                    "да" if rng.random() < 0.02 else "нет",
                    "",
                    rng.choice(COMMENTS),
                ]
            )


def import_csv(path):
    """Import the file with the management command; return (seconds, batch)."""
    from io import StringIO

    from django.core.management import call_command

    from feedback.models import ImportBatch

    start = time.perf_counter()
    call_command("import_feedback", str(path), verbosity=0, stdout=StringIO())
    took = time.perf_counter() - start
    return took, ImportBatch.objects.order_by("-pk").first()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--again", action="store_true", help="import the same file twice")
    parser.add_argument(
        "--answers",
        choices=sorted(ANSWERS),
        default="uniform",
        help="how NPS and «вопрос решён» are spread (see the docstring)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    scratch = Path(tempfile.mkdtemp(prefix="kb-bench-feedback-"))
    settings.MEDIA_ROOT = scratch / "media"
    import logging

    logging.basicConfig(level=logging.WARNING, format="  %(message)s")
    logging.getLogger("feedback.services").setLevel(logging.INFO)
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(scratch / "bench.sqlite3")
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from feedback.models import FeedbackResponse, MonthlySlice

        reference_data()
        path = scratch / "feedback.csv"
        start = time.perf_counter()
        generate_csv(path, args.rows, answers=args.answers)
        size_mb = path.stat().st_size / 1024 / 1024
        print(
            f"database: {vendor}; generated {args.rows:,} rows ({size_mb:.0f} MB, "
            f"answers {args.answers}) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        took, batch = import_csv(path)
        print(
            f"import: {took:.1f} s, {args.rows / took:,.0f} rows/s — status {batch.status}, "
            f"imported {batch.rows_imported:,}, duplicates {batch.rows_duplicate:,}, "
            f"rejected {batch.rows_rejected:,}"
        )
        print(
            f"responses in db: {FeedbackResponse.objects.count():,}; "
            f"monthly slices: {MonthlySlice.objects.count():,}"
        )
        if args.again:
            took, batch = import_csv(path)
            print(
                f"same file again: {took:.1f} s, {args.rows / took:,.0f} rows/s — "
                f"imported {batch.rows_imported:,}, duplicates {batch.rows_duplicate:,}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)  # the CSV and its copy are big


if __name__ == "__main__":
    main()
