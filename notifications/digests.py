"""The e-mail digest (``manage.py send_digests``, daily): per person, what
happened since their last digest — new and substantively updated articles in
the sections and articles they follow and those targeted at their position
and office («Для вас»), the mandatory documents still waiting
for them, decisions on ideas they voted for, answers to their questions.

Rules decided here:
- Daily digests go every day, weekly ones on WEEKLY_DAY (Monday).
- People are read in keyset batches (``user_id > last``, BATCH at a time):
  never all of them in memory, whatever their number.
- Each person dealt with gets a ``DigestSent`` row (user, frequency, day),
  written in the same transaction that queues the batch's letters (sent
  after the commit), so re-running the day sends nothing twice and a run
  that stopped goes on where it was. An empty digest is recorded too
  (``items`` 0, no letter): the next one starts from its ``until``.
- A digest covers at most MAX_WINDOW_DAYS back (a person who chose a digest
  a year after their last one is not sent a year).
- A letter goes out after the commit: a mail server failing then loses that
  batch's letters (logged), never sends one twice.
"""

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from articles.mandatory import audience_of, is_in_force
from articles.models import Acknowledgement, Article
from articles.selectors import section_tree
from ideas.models import Decision, Vote
from notifications.models import DigestFrequency, DigestSent, DigestSetting, Subscription
from people.audiences import audience_spec, members
from people.models import Audience
from questions.models import Answer
from updates.selectors import news_articles

logger = logging.getLogger(__name__)

WEEKLY_DAY = 0  # Monday
BATCH = 500
MAX_WINDOW_DAYS = 31
PERIOD_DAYS = {DigestFrequency.DAILY: 1, DigestFrequency.WEEKLY: 7}


@dataclass
class DigestRun:
    day: object
    dry_run: bool = False
    people: int = 0  # looked at (due today, not yet done)
    sent: int = 0  # letters
    empty: int = 0  # nothing to tell
    already: int = 0  # done by an earlier run of the day
    conflicts: int = 0  # batches another run wrote meanwhile (sent nothing)


@dataclass
class Digest:
    """One person's digest."""

    user_id: int
    name: str
    email: str
    frequency: str
    since: datetime
    until: datetime
    articles: list = field(default_factory=list)  # news rows: dicts
    mandatory: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    answers: list = field(default_factory=list)

    @property
    def items(self):
        return len(self.articles) + len(self.mandatory) + len(self.decisions) + len(self.answers)


def due_frequencies(day):
    due = [DigestFrequency.DAILY]
    if day.weekday() == WEEKLY_DAY:
        due.append(DigestFrequency.WEEKLY)
    return due


def _until(day, now):
    """The end of what the digest for ``day`` covers: now, or the end of
    ``day`` when running for a day already past."""
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return min(end, now)


def link(path):
    return settings.PORTAL_URL.rstrip("/") + path


class _RunData:
    """What every batch of one run shares: the news of the window, the
    documents in force and the section tree (read once per run, small)."""

    def __init__(self, *, until):
        self.until = until
        self.earliest = until - timedelta(days=MAX_WINDOW_DAYS)
        self.tree = section_tree()
        self.news = []
        news = news_articles(since=self.earliest, extra=["target_audience_id"])
        for article in news.filter(news_at__lte=until):
            node = self.tree.by_id.get(article.section_id)
            if node is None:
                continue
            changed = bool(article.update_at and article.update_at >= article.news_at)
            # «Для вас»: the audiences of the article and of the sections above it.
            targets = {n.target_audience_id for n in self.tree.ancestors(article.section_id)}
            targets.add(article.target_audience_id)
            targets.discard(None)
            self.news.append(
                {
                    "id": article.pk,
                    "targets": targets,
                    "section_id": article.section_id,
                    "section": node.title,
                    "title": article.title,
                    "url": link(
                        reverse(
                            "articles:article",
                            kwargs={"section_slug": node.slug, "slug": article.slug},
                        )
                    ),
                    "at": article.news_at,
                    "changed": changed,
                    # Labels made once per run, not per letter (rendering is the cost).
                    "label": _("Изменено") if changed else _("Новое"),
                    "summary": article.update_summary if changed else "",
                }
            )
        self.news_by_section = defaultdict(list)
        for row in self.news:
            self.news_by_section[row["section_id"]].append(row)
        self.news_by_id = {row["id"]: row for row in self.news}
        self.targeted = defaultdict(list)  # audience id -> news rows targeted at it
        for row in self.news:
            for audience_id in row["targets"]:
                self.targeted[audience_id].append(row)
        self.target_specs = {
            audience.pk: audience_spec(audience)
            for audience in Audience.objects.filter(pk__in=list(self.targeted))
        }
        self.documents = []
        for article in (
            Article.objects.published()
            .mandatory()
            .select_related("section", "mandatory_audience")
            .order_by(F("mandatory_deadline").asc(nulls_last=True), "title", "id")
        ):
            if is_in_force(article) and article.section.deleted_at is None:
                self.documents.append((article, audience_of(article)))
        self._subtrees = {}

    def subtree(self, section_id):
        if section_id not in self._subtrees:
            self._subtrees[section_id] = set(self.tree.descendant_ids(section_id))
        return self._subtrees[section_id]


def _batch_digests(rows, *, day, data):
    """The digests of one batch of people (``rows``: user id, frequency,
    e-mail, first name, last name, login), in a fixed number of queries
    (one more per document in force with an audience)."""
    ids = [row[0] for row in rows]
    last = dict(
        DigestSent.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(last=Max("until"))
        .values_list("user_id", "last")
    )
    digests = {}
    for user_id, frequency, email, first, last_name, username in rows:
        default = data.until - timedelta(days=PERIOD_DAYS[DigestFrequency(frequency)])
        since = max(last.get(user_id) or default, data.earliest)
        digests[user_id] = Digest(
            user_id=user_id,
            name=f"{first} {last_name}".strip() or username,
            email=email,
            frequency=frequency,
            since=since,
            until=data.until,
        )
    earliest = min(d.since for d in digests.values())
    # Followed sections (with what is below them) and articles.
    followed = defaultdict(lambda: (set(), set()))
    for user_id, section_id, article_id in Subscription.objects.filter(user_id__in=ids).values_list(
        "user_id", "section_id", "article_id"
    ):
        sections, articles = followed[user_id]
        if section_id is not None:
            sections.update(data.subtree(section_id))
        else:
            articles.add(article_id)
    # «Для вас»: what is targeted at their position and office (one query
    # per target audience with news in the window).
    chosen = defaultdict(dict)  # user id -> {article id: news row}
    for audience_id, spec in data.target_specs.items():
        for user_id in members(spec).filter(pk__in=ids).values_list("pk", flat=True):
            chosen[user_id].update((row["id"], row) for row in data.targeted[audience_id])
    if data.news:
        for user_id in followed.keys() | chosen.keys():
            sections, articles = followed.get(user_id, ((), ()))
            digest = digests[user_id]
            rows = dict(chosen.get(user_id, {}))
            rows.update(
                (row["id"], row) for s in sections for row in data.news_by_section.get(s, ())
            )
            rows.update((a, data.news_by_id[a]) for a in articles if a in data.news_by_id)
            digest.articles = sorted(
                (row for row in rows.values() if row["at"] > digest.since),
                key=lambda row: (row["at"], row["id"]),
                reverse=True,
            )
    # Mandatory documents still waiting: members of the audience without a
    # valid acknowledgement.
    if data.documents:
        valid = set(
            Acknowledgement.objects.filter(
                user_id__in=ids,
                article_id__in=[article.pk for article, _spec in data.documents],
                article_version__gte=F("article__ack_required_version"),
            ).values_list("user_id", "article_id")
        )
        for article, spec in data.documents:
            if spec.everyone:
                concerned = ids
            else:
                concerned = members(spec).filter(pk__in=ids).values_list("pk", flat=True)
            row = None
            for user_id in concerned:
                if (user_id, article.pk) in valid:
                    continue
                if row is None:
                    deadline = article.mandatory_deadline
                    row = {
                        "title": article.title,
                        "url": link(article.get_absolute_url()),
                        "deadline": deadline,
                        "deadline_text": _("срок — до %(date)s")
                        % {"date": formats.date_format(deadline, "j E Y")}
                        if deadline
                        else "",
                    }
                digests[user_id].mandatory.append(row)
    # Decisions on ideas they voted for.
    votes = Vote.objects.filter(user_id__in=ids, idea=OuterRef("idea"))
    decisions = (
        Decision.objects.filter(created_at__gt=earliest, created_at__lte=data.until)
        .filter(Exists(votes))
        .values_list("idea_id", "idea__title", "outcome", "created_at")
        .order_by("created_at", "id")
    )
    decisions = list(decisions)
    if decisions:
        voters = defaultdict(set)
        for user_id, idea_id in Vote.objects.filter(
            user_id__in=ids, idea_id__in={row[0] for row in decisions}
        ).values_list("user_id", "idea_id"):
            voters[idea_id].add(user_id)
        labels = dict(Decision.Outcome.choices)
        for idea_id, title, outcome, at in decisions:
            for user_id in voters[idea_id]:
                digest = digests[user_id]
                if at > digest.since:
                    digest.decisions.append(
                        {
                            "title": title,
                            "outcome": labels.get(outcome, outcome),
                            "url": link(reverse("ideas:detail", kwargs={"pk": idea_id})),
                        }
                    )
    # Answers to their questions (not their own answers).
    answers = (
        Answer.objects.filter(
            question__author_id__in=ids,
            created_at__gt=earliest,
            created_at__lte=data.until,
            deleted_at__isnull=True,
            question__deleted_at__isnull=True,
            question__article__deleted_at__isnull=True,
        )
        .exclude(author_id=F("question__author_id"))
        .values_list(
            "question__author_id",
            "question_id",
            "question__text",
            "question__article__title",
            "question__article__slug",
            "question__article__section__slug",
            "created_at",
        )
        .order_by("created_at", "id")
    )
    seen = set()
    for user_id, question_id, text, title, slug, section_slug, at in answers:
        digest = digests[user_id]
        if at <= digest.since or (user_id, question_id) in seen:
            continue  # one line per question, however many answers it got
        seen.add((user_id, question_id))
        path = reverse("articles:article", kwargs={"section_slug": section_slug, "slug": slug})
        digest.answers.append(
            {"question": text, "article": title, "url": link(f"{path}#question-{question_id}")}
        )
    return list(digests.values())


def digest_subject(digest, day):
    date = formats.date_format(day, "j E Y")
    if digest.frequency == DigestFrequency.WEEKLY:
        return _("База знаний: что нового за неделю (до %(date)s)") % {"date": date}
    return _("База знаний: что нового за %(date)s") % {"date": date}


def digest_message(digest, day, connection=None):
    """The letter: a Russian subject, a plain-text body and an HTML part."""
    context = {
        "digest": digest,
        "day": day,
        "portal_url": settings.PORTAL_URL.rstrip("/"),
        "settings_url": link(reverse("notifications:settings")),
        "news_url": link(reverse("updates:news")),
        "what_changed": _("Что изменилось:"),
    }
    message = EmailMultiAlternatives(
        subject=digest_subject(digest, day),
        body=render_to_string("notifications/email/digest.txt", context),
        to=[digest.email],
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("notifications/email/digest.html", context), "text/html"
    )
    return message


def _send(messages):
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages(messages)
    except (smtplib.SMTPException, OSError) as error:
        logger.error("digests: could not send %d letters: %s", len(messages), error)


def digests_send(*, day, dry_run=False, batch=BATCH, now=None, progress=None):
    """Send the digests due on ``day`` (see the module's rules). Returns a
    ``DigestRun`` with the counts."""
    run = DigestRun(day=day, dry_run=dry_run)
    due = due_frequencies(day)
    data = _RunData(until=_until(day, now or timezone.now()))
    people = (
        DigestSetting.objects.filter(frequency__in=due, user__is_active=True)
        .exclude(user__email="")
        .order_by("user_id")
        .values_list(
            "user_id",
            "frequency",
            "user__email",
            "user__first_name",
            "user__last_name",
            f"user__{get_user_model().USERNAME_FIELD}",
        )
    )
    last = 0
    while True:
        rows = list(people.filter(user_id__gt=last)[:batch])
        if not rows:
            break
        last = rows[-1][0]
        done = set(
            DigestSent.objects.filter(user_id__in=[row[0] for row in rows], period=day).values_list(
                "user_id", "frequency"
            )
        )
        todo = [row for row in rows if (row[0], row[1]) not in done]
        run.already += len(rows) - len(todo)
        if todo:
            _run_batch(todo, day=day, data=data, run=run)
        if progress is not None:
            progress(run)
    return run


def _run_batch(rows, *, day, data, run):
    digests = _batch_digests(rows, day=day, data=data)
    run.people += len(digests)
    full = [digest for digest in digests if digest.items]
    if run.dry_run:
        run.sent += len(full)
        run.empty += len(digests) - len(full)
        return
    messages = [digest_message(digest, day) for digest in full]
    try:
        with transaction.atomic():
            DigestSent.objects.bulk_create(
                DigestSent(
                    user_id=digest.user_id,
                    frequency=digest.frequency,
                    period=day,
                    since=digest.since,
                    until=digest.until,
                    items=digest.items,
                )
                for digest in digests
            )
            if messages:
                transaction.on_commit(lambda: _send(messages))
    except IntegrityError:
        run.conflicts += 1  # another run wrote this batch meanwhile: it sends them
        return
    run.sent += len(full)
    run.empty += len(digests) - len(full)
