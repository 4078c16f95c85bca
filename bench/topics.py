"""Benchmark of comment topic tagging: ``topics_reapply()`` over N comments.

    .venv/bin/python bench/topics.py [--comments 100000] [--runs 2]

In a throw-away test database (the one DATABASE_URL points to, SQLite by
default) it writes N responses, every one with a varied comment (pieces
of real-looking comments, masked and analysed as the import stores them;
see bench/dashboard.py ``comment_text``), then times the re-tagging of all
of them with the default dictionary: read the distinct stored terms, match
every topic's phrases once per text, stage (text, topic) pairs and write the
links in one INSERT … SELECT. The import tags its own rows with the same
matcher and stage (``BatchTagger``, ``TermsStage``). Prints comments per
second and the time that rate gives for 1,000,000 comments.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the project: bench/search.py is no app
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2, help="times topics_reapply() is run")
    args = parser.parse_args()

    import django

    django.setup()
    import dashboard as dashboard_bench
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    old_name = db["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from feedback.models import ResponseTopic, Topic
        from feedback.topics import topics_reapply

        dashboard_bench.reference_data()
        dashboard_bench.OPTIONS["comment_share"] = 1.0
        start = time.perf_counter()
        dashboard_bench.insert_rows(args.comments, random.Random(42), vendor)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"database: {vendor}; {args.comments:,} commented responses written "
            f"(masked and analysed) in {time.perf_counter() - start:.1f} s; "
            f"{Topic.objects.filter(is_active=True).count()} active topics"
        )
        for run in range(1, args.runs + 1):
            links, took = topics_reapply()
            rate = args.comments / took
            print(
                f"run {run}: {links:,} links in {took:.1f} s — {rate:,.0f} comments/s, "
                f"1,000,000 comments ≈ {1_000_000 / rate:.0f} s"
            )
        tagged = ResponseTopic.objects.values("response").distinct().count()
        print(f"comments with at least one topic: {tagged:,} of {args.comments:,}")
        queue = Topic.objects.get(name="Очередь и ожидание")
        links, took = topics_reapply(topic_ids=[queue.pk])
        print(f"one topic re-applied (after an admin save): {links:,} links in {took:.1f} s")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
