"""Writes: a person's helpfulness answer, an owner's «проверено, актуально»,
the daily review reminders."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from articles.models import Article
from contributions.models import Helpfulness, Review, ReviewReminder
from notifications.models import Kind
from notifications.services import notification_send
from people import roles


def helpfulness_record(*, article, user, helpful, reason="", text=""):
    """Record (or change) ``user``'s answer on ``article``; one row per pair.

    A «да» keeps no reason or text. Two first answers at once (a double
    click) race to insert: the loser's insert fails on the unique constraint
    and it updates the winner's row instead, so neither gets an error.
    """
    values = {
        "helpful": helpful,
        "reason": "" if helpful else reason,
        "text": "" if helpful else text,
        "article_version": article.version,
        "answered_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            answer, _ = Helpfulness.objects.update_or_create(
                article=article, user=user, defaults=values
            )
    except IntegrityError:
        with transaction.atomic():
            answer, _ = Helpfulness.objects.update_or_create(
                article=article, user=user, defaults=values
            )
    return answer


def add_months(day, months):
    """``day`` moved by ``months``; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_interval_months(lifecycle):
    if lifecycle == Article.Lifecycle.DYNAMIC:
        return settings.REVIEW_INTERVAL_DYNAMIC_MONTHS
    return settings.REVIEW_INTERVAL_EVERGREEN_MONTHS


@transaction.atomic
def article_review(*, article, by, note=""):
    """Record that ``by`` checked ``article`` and it is still true.

    «Следующая актуализация» moves to today plus the lifecycle's interval.
    The article is updated without save(): the content did not change, so
    neither «обновлено» nor the version moves; the history still gets a row
    with the reason, so the check is on record.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    review = Review.objects.create(
        article=article, reviewer=by, note=note, article_version=article.version
    )
    article.review_due = add_months(timezone.localdate(), review_interval_months(article.lifecycle))
    article.reviewed_at = review.reviewed_at
    bulk_update_with_history(
        [article],
        Article,
        ["review_due", "reviewed_at"],
        default_user=by,
        default_change_reason=gettext("проверено, актуально"),
    )
    return review


# --- Review reminders (manage.py send_review_reminders, run daily) -----------------

REMINDER_LIST_LIMIT = 10


class ReminderRunConflict(Exception):
    """Another run recorded the same reminders first; this one sent nothing."""


@dataclass
class ReminderRun:
    """What one run did (or, with ``dry_run``, would do)."""

    today: date
    dry_run: bool
    soon: int = 0  # articles whose owner is told the date is near
    overdue: int = 0  # articles whose owner is told the date has passed
    escalated: int = 0  # articles escalated to the section's editors
    unowned: int = 0  # of soon/overdue, those told to editors (no active owner)
    nobody: int = 0  # reminders nobody could be found for (not recorded)
    people: int = 0  # people told
    notifications: int = 0  # notifications created


def reminder_thresholds():
    """(days before, days overdue for escalation) from settings; a bad value
    stops the run (settings.py already refuses them from the environment, this
    covers anything that sets them otherwise)."""
    values = {}
    for name in ("REVIEW_REMINDER_DAYS_BEFORE", "REVIEW_ESCALATION_DAYS"):
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ImproperlyConfigured(f"{name}={value!r} must be a whole number of days, >= 1.")
        values[name] = value
    return values["REVIEW_REMINDER_DAYS_BEFORE"], values["REVIEW_ESCALATION_DAYS"]


def review_reminder_stages(*, review_due, today, days_before, escalation_days):
    """The stages due for an article on ``today``: «soon» from ``days_before``
    days ahead up to the date itself, «overdue» from the day after it, and
    also «escalation» once it is ``escalation_days`` late. A day the job did
    not run is caught up on the next one; a stage already past is skipped (an
    article found late gets «overdue», never «soon»)."""
    Stage = ReviewReminder.Stage
    late = (today - review_due).days
    if late <= 0:
        return [Stage.SOON] if -late <= days_before else []
    if late >= escalation_days:
        return [Stage.OVERDUE, Stage.ESCALATION]
    return [Stage.OVERDUE]


class SectionEditors:
    """Who «the editors of the section» are. The model has no per-section
    editors, so the rule is: the active editors (group «Редактор») who own a
    published article in the same top-level section's subtree; when there are
    none, every active editor; when there is no editor at all, the active
    administrators (group «Администратор» and superusers). The article's own
    owner is left out (they get their own reminder); at most three queries
    per run, whatever the number of articles."""

    def __init__(self, tree_ids):
        User = get_user_model()
        self._by_tree = defaultdict(set)
        if tree_ids:
            rows = (
                Article.objects.published()
                .filter(
                    section__tree_id__in=sorted(tree_ids),
                    owner__is_active=True,
                    owner__groups__name=roles.EDITOR,
                )
                .values_list("section__tree_id", "owner_id")
                .distinct()
            )
            for tree_id, user_id in rows:
                self._by_tree[tree_id].add(user_id)
        self._all = None
        self._admins = None
        self._users = User.objects.filter(is_active=True)

    def all_editors(self):
        if self._all is None:
            self._all = set(
                self._users.filter(groups__name=roles.EDITOR).values_list("pk", flat=True)
            )
        return self._all

    def administrators(self):
        if self._admins is None:
            self._admins = set(
                self._users.filter(
                    Q(groups__name=roles.ADMINISTRATOR) | Q(is_superuser=True)
                ).values_list("pk", flat=True)
            )
        return self._admins

    def of(self, tree_id, *, exclude=None):
        for people in (self._by_tree.get(tree_id, set()), self.all_editors, self.administrators):
            found = (people() if callable(people) else people) - {exclude}
            if found:
                return found
        return set()


def _article_line(article, *, with_owner=False):
    line = gettext("«%(title)s» (срок %(due)s)") % {
        "title": article.title,
        "due": article.review_due.strftime("%d.%m.%Y"),
    }
    if with_owner:
        owner = article.owner
        name = (owner.get_full_name() or owner.get_username()) if owner else gettext("не назначен")
        line += "; " + gettext("ответственный: %(name)s") % {"name": name}
    return line


def _article_list(articles, *, with_owner=False):
    shown = [_article_line(a, with_owner=with_owner) for a in articles[:REMINDER_LIST_LIMIT]]
    text = "\n".join(f"— {line}" for line in shown)
    if len(articles) > REMINDER_LIST_LIMIT:
        text += "\n" + gettext("…и ещё %(count)s") % {"count": len(articles) - REMINDER_LIST_LIMIT}
    return text


def _reminder_text(audience, by_stage, *, days_before, escalation_days):
    """One notification's text: the articles of one person's letter, by stage."""
    Stage = ReviewReminder.Stage
    parts = []
    if audience == "escalation":
        parts.append(
            gettext(
                "Материалы вашего раздела просрочены больше чем на %(days)s дн.: "
                "ответственный их не проверил. Проверьте сами или назначьте другого "
                "ответственного."
            )
            % {"days": escalation_days}
        )
        parts.append(_article_list(by_stage[Stage.ESCALATION], with_owner=True))
        return "\n".join(parts)
    if audience == "unowned":
        parts.append(gettext("Материалы без ответственного редактора ждут проверки актуальности."))
    if by_stage.get(Stage.OVERDUE):
        parts.append(gettext("Срок проверки прошёл:"))
        parts.append(_article_list(by_stage[Stage.OVERDUE]))
    if by_stage.get(Stage.SOON):
        parts.append(
            gettext("Срок проверки наступит в ближайшие %(days)s дн.:") % {"days": days_before}
        )
        parts.append(_article_list(by_stage[Stage.SOON]))
    if audience == "owner":
        parts.append(
            gettext(
                "Откройте «Мои материалы» и отметьте «Проверено, актуально» или обновите текст."
            )
        )
    return "\n".join(parts)


REMINDER_AUDIENCES = {
    # audience: (kind, where the notification leads, subject)
    "owner": (Kind.REVIEW_DUE, "contributions:owner_desk", _("Пора проверить ваши материалы")),
    "unowned": (
        Kind.REVIEW_DUE,
        "contributions:kb_health",
        _("Материалы без ответственного ждут проверки"),
    ),
    "escalation": (
        Kind.REVIEW_ESCALATION,
        "contributions:kb_health",
        _("Просроченная актуализация в вашем разделе"),
    ),
}


def review_reminders_send(*, today, dry_run=False, articles=None):
    """Send the review reminders due on ``today`` and record each one.

    Only published, not deleted articles with a review date. The owner gets
    «soon» and «overdue» (kind REVIEW_DUE); an article without an active owner
    sends them to its section's editors instead (see ``SectionEditors``);
    «escalation» (kind REVIEW_ESCALATION) goes to the section's editors. Each
    person gets at most one notification per audience per run, listing all
    their articles. Each (article, stage, review date) is recorded once under a
    unique constraint: a re-run sends nothing twice, and a review, which moves
    the date, starts the cycle over. Two runs at once: the second fails on the
    constraint, rolls back everything and raises ``ReminderRunConflict``.

    ``articles`` narrows the run (the demo data uses it). With ``dry_run``
    nothing is written; the counts say what would be sent. A fixed number of
    queries plus one insert per distinct notification text.
    """
    days_before, escalation_days = reminder_thresholds()
    Stage = ReviewReminder.Stage
    run = ReminderRun(today=today, dry_run=dry_run)
    base = articles if articles is not None else Article.objects.all()
    candidates = list(
        base.published()
        .filter(review_due__isnull=False, review_due__lte=today + timedelta(days=days_before))
        .select_related("owner", "section")
        .only(
            "id",
            "title",
            "review_due",
            "owner__id",
            "owner__is_active",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
            "section__id",
            "section__tree_id",
        )
        .order_by("review_due", "title", "id")
    )
    if not candidates:
        return run
    sent = set(
        ReviewReminder.objects.filter(
            article_id__in=[a.pk for a in candidates], review_due=F("article__review_due")
        ).values_list("article_id", "stage")
    )
    todo = []  # (article, stage)
    for article in candidates:
        for stage in review_reminder_stages(
            review_due=article.review_due,
            today=today,
            days_before=days_before,
            escalation_days=escalation_days,
        ):
            if (article.pk, stage) not in sent:
                todo.append((article, stage))
    if not todo:
        return run

    def has_owner(article):
        return article.owner is not None and article.owner.is_active

    editors = SectionEditors(
        {a.section.tree_id for a, stage in todo if stage == Stage.ESCALATION or not has_owner(a)}
    )
    # person -> audience -> stage -> [articles]; record -> number of people
    letters = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    records = []
    for article, stage in todo:
        if stage == Stage.ESCALATION:
            audience, people = (
                "escalation",
                editors.of(article.section.tree_id, exclude=article.owner_id),
            )
        elif has_owner(article):
            audience, people = "owner", {article.owner_id}
        else:
            audience, people = "unowned", editors.of(article.section.tree_id)
        if not people:
            run.nobody += 1
            continue
        for person in people:
            letters[person][audience][stage].append(article)
        records.append(
            ReviewReminder(
                article=article,
                stage=stage,
                review_due=article.review_due,
                sent_on=today,
                recipients=len(people),
            )
        )
        if stage == Stage.ESCALATION:
            run.escalated += 1
        else:
            run.soon += stage == Stage.SOON
            run.overdue += stage == Stage.OVERDUE
            run.unowned += audience == "unowned"
    # People whose letters read the same share one insert.
    messages = defaultdict(list)
    for person, audiences in letters.items():
        for audience, by_stage in audiences.items():
            key = (audience, tuple((s, tuple(a.pk for a in arts)) for s, arts in by_stage.items()))
            messages[key].append((person, by_stage))
    run.people = len(letters)
    run.notifications = sum(len(people) for people in messages.values())
    if dry_run:
        return run
    try:
        with transaction.atomic():
            ReviewReminder.objects.bulk_create(records)
            for (audience, _stages), people in messages.items():
                kind, url_name, subject = REMINDER_AUDIENCES[audience]
                notification_send(
                    recipients=[person for person, _by_stage in people],
                    kind=kind,
                    text=_reminder_text(
                        audience,
                        people[0][1],
                        days_before=days_before,
                        escalation_days=escalation_days,
                    ),
                    url=reverse(url_name),
                    subject=str(subject),
                )
    except IntegrityError as error:
        raise ReminderRunConflict(str(error)) from error
    return run
