"""Writes of the idea bank: submitting, voting, comments, decisions, merges.

Every function that changes an idea's votes, comments or status first locks
the idea's row (``select_for_update``; on SQLite the IMMEDIATE transaction
takes the database write lock) and recounts what it changed inside the same
transaction, so counts stay exact under any number of simultaneous clicks.

Rules decided here:
- An author does not vote for their own idea: votes show colleagues' support,
  and the author's support is implied by submitting it.
- Votes are open while the idea is not closed (подана, на рассмотрении,
  принята, в работе); after «реализована», «отклонена» or «дубликат» the count
  is frozen, and neither casting nor withdrawing is possible.
- The author and everyone who voted are told of every status change, with
  the decision and its reasons; the person who made the change is not.
- The author and everyone who commented before are told of a new comment;
  the one who wrote it is not. A deleted comment takes its notifications
  with it, so its words do not live on in other people's lists.
- Nobody gets two notifications about one event. They go through the portal's
  notification centre (``notifications.services.notification_send``): e-mail
  after the transaction commits, only when EMAIL_HOST is set and the person
  has not turned e-mail off; its links are absolute (PORTAL_URL).
- «Реализовано» is decided only for an idea the working group accepted
  (принята or в работе), and only with what changed, the date it was
  implemented (not in the future, not before the idea was submitted) and,
  optionally, the published articles it changed. The status is checked
  under the idea's row lock: of two people recording it at once, the second
  is told it is already done, and nothing of theirs is saved.
- simple-history's change reason is a varchar(100): it gets a one-line label
  of at most 100 characters; a working group's longer comment is kept whole
  in ``Idea.status_comment`` (which history keeps per version too).
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from articles.models import Article
from ideas.models import (
    CHANGES_MAX,
    RATIONALE_MAX,
    Comment,
    Decision,
    Idea,
    Implementation,
    ReviewMeeting,
    Vote,
)
from ideas.selectors import TAGS_CACHE_KEY
from notifications.models import Kind
from notifications.services import notification_send, notifications_delete_for
from people.models import Profile

Status = Idea.Status
Outcome = Decision.Outcome

# What a decision does to the idea's status. «Нужна доработка» hands the idea
# back to its author, who may edit it again; it returns to the next agenda.
OUTCOME_STATUS = {
    Outcome.ACCEPT: Status.ACCEPTED,
    Outcome.REJECT: Status.REJECTED,
    Outcome.REWORK: Status.REWORK,
    Outcome.DUPLICATE: Status.DUPLICATE,
    Outcome.IMPLEMENTED: Status.IMPLEMENTED,
}

# Ideas that may be decided «реализовано»: those the working group accepted.
IMPLEMENTABLE = (Status.ACCEPTED, Status.IN_PROGRESS)

# Status changes the working group makes outside a decision.
MANUAL_TRANSITIONS = {
    Status.SUBMITTED: (Status.UNDER_REVIEW,),
    Status.REWORK: (Status.UNDER_REVIEW,),
    Status.ACCEPTED: (Status.IN_PROGRESS,),
}


def _lock(idea):
    return Idea.objects.select_for_update().get(pk=idea.pk)


def _recount_votes(idea_id):
    count = Vote.objects.filter(idea_id=idea_id).count()
    Idea.objects.filter(pk=idea_id).update(vote_count=count)
    return count


def _recount_comments(idea_id):
    count = Comment.objects.alive().filter(idea_id=idea_id).count()
    Idea.objects.filter(pk=idea_id).update(comment_count=count)
    return count


# The column simple-history gives the change reason: varchar(100).
HISTORY_REASON_MAX = Idea.history.model._meta.get_field("history_change_reason").max_length
# How much of a comment a notification quotes.
COMMENT_QUOTE_MAX = 300


def history_label(text):
    """``text`` as a change reason that fits its column: one line, at most
    HISTORY_REASON_MAX characters, cut with «…» when longer."""
    return Truncator(" ".join(str(text).split())).chars(HISTORY_REASON_MAX)


def _save_with_history(idea, *, by, reason):
    idea._change_reason = history_label(reason)
    if by is not None:
        idea._history_user = by
    idea.save()


def _forget_filter_tags():
    transaction.on_commit(lambda: cache.delete(TAGS_CACHE_KEY))


# --- Submitting and editing ---------------------------------------------------------


@transaction.atomic
def idea_submit(
    *, author, title, problem, proposal, expected_effect, tags=(), articles=(), created_at=None
):
    """Create an idea from ``author``; its office is the author's office now."""
    office_id = Profile.objects.filter(user=author).values_list("office_id", flat=True).first()
    now = created_at or timezone.now()
    idea = Idea(
        title=title,
        problem=problem,
        proposal=proposal,
        expected_effect=expected_effect,
        author=author,
        office_id=office_id,
        created_at=now,
        status_changed_at=now,
    )
    idea.full_clean()
    _save_with_history(idea, by=author, reason=_("идея подана"))
    if tags:
        idea.tags.set(list(tags))
        _forget_filter_tags()
    if articles:
        idea.articles.set(list(articles))
    return idea


@transaction.atomic
def idea_update(*, idea, by, title, problem, proposal, expected_effect, tags=(), articles=()):
    """The author's edit, possible while the idea is «подана» or «на
    доработке»; a reworked idea is submitted again («подана»)."""
    locked = _lock(idea)
    if not locked.can_be_edited_by(by):
        raise PermissionDenied(
            _("Идею уже рассматривает рабочая группа: изменить её может только она.")
        )
    locked.title = title
    locked.problem = problem
    locked.proposal = proposal
    locked.expected_effect = expected_effect
    locked.full_clean()
    reason = _("автор изменил текст")
    if locked.status == Status.REWORK:
        locked.status = Status.SUBMITTED
        locked.status_changed_at = timezone.now()
        locked.status_comment = ""
        reason = _("автор доработал идею")
    _save_with_history(locked, by=by, reason=reason)
    locked.tags.set(list(tags))
    _forget_filter_tags()
    locked.articles.set(list(articles))
    return locked


# --- Votes --------------------------------------------------------------------------


def _check_votable(idea, user):
    if idea.author_id == user.pk:
        raise ValidationError(
            _("За свою идею голосовать нельзя: голоса показывают поддержку коллег.")
        )
    if not idea.is_votable:
        raise ValidationError(
            _("Голосование по этой идее закрыто: её статус — «%(status)s».")
            % {"status": idea.get_status_display()}
        )


@transaction.atomic
def idea_vote_cast(*, idea, user):
    """Vote for ``idea``. Voting twice is harmless; returns True if a vote was added."""
    locked = _lock(idea)
    _check_votable(locked, user)
    try:
        with transaction.atomic():
            _vote, created = Vote.objects.get_or_create(idea=locked, user=user)
    except IntegrityError:
        created = False  # the constraint caught a twin request; the vote exists
    idea.vote_count = _recount_votes(locked.pk)
    return created


@transaction.atomic
def idea_vote_withdraw(*, idea, user):
    """Take a vote back. Doing it twice is harmless; returns True if one was removed."""
    locked = _lock(idea)
    _check_votable(locked, user)
    deleted, _details = Vote.objects.filter(idea=locked, user=user).delete()
    idea.vote_count = _recount_votes(locked.pk)
    return bool(deleted)


# --- Comments -----------------------------------------------------------------------


@transaction.atomic
def comment_add(*, idea, author, text):
    """Add a comment and tell the idea's author and the earlier commenters."""
    locked = _lock(idea)
    comment = Comment(idea=locked, author=author, text=text.strip())
    comment.full_clean()
    earlier = set(
        Comment.objects.alive().filter(idea_id=locked.pk).values_list("author_id", flat=True)
    )
    comment.save()
    idea.comment_count = _recount_comments(locked.pk)
    _notify(
        idea=locked,
        kind=Kind.IDEA_COMMENT,
        text=_comment_text(locked, comment),
        recipient_ids={locked.author_id, *earlier},
        actor=author,
        comment=comment,
    )
    return comment


@transaction.atomic
def comment_delete(*, comment, by):
    """Hide a comment; its author and the working group may do it."""
    if not comment.can_be_deleted_by(by):
        raise PermissionDenied(_("Удалить комментарий может его автор или рабочая группа."))
    _lock(comment.idea)
    comment.deleted_at = timezone.now()
    comment.deleted_by = by
    comment.save(update_fields=["deleted_at", "deleted_by"])
    _recount_comments(comment.idea_id)
    notifications_delete_for(target=comment)


# --- Notifications ------------------------------------------------------------------


def _notify(*, idea, kind, text, recipient_ids, actor=None, comment=None):
    """Tell ``recipient_ids`` (each once) about ``idea`` through the portal's
    notification centre; the person who acted is never told. The link leads
    to the new comment itself, or to the idea."""
    recipient_ids = set(recipient_ids)
    if actor is not None:
        recipient_ids.discard(actor.pk)
    url = idea.get_absolute_url()
    if comment is not None:
        url = f"{url}#comment-{comment.pk}"
    return notification_send(
        recipients=recipient_ids,
        kind=kind,
        text=text,
        url=url,
        target=comment if comment is not None else idea,
        # A line break in a subject is refused by the mail library; titles are one line.
        subject=_("Банк идей: %(title)s")
        % {"title": Truncator(" ".join(idea.title.split())).chars(80)},
    )


def _interested(idea):
    """The author and everyone who voted for ``idea``."""
    return {idea.author_id, *Vote.objects.filter(idea_id=idea.pk).values_list("user_id", flat=True)}


def _comment_text(idea, comment):
    name = comment.author.get_full_name() or comment.author.get_username()
    return _("Новый комментарий к идее №%(number)s «%(title)s» — %(name)s:\n%(text)s") % {
        "number": idea.pk,
        "title": idea.title,
        "name": name,
        "text": Truncator(comment.text).chars(COMMENT_QUOTE_MAX),
    }


def _status_text(idea, *, decision=None, reason="", implementation=None):
    parts = [
        _("Идея №%(number)s «%(title)s»: новый статус — «%(status)s».")
        % {"number": idea.pk, "title": idea.title, "status": idea.get_status_display()}
    ]
    if decision is not None:
        parts.append(
            _("Решение рабочей группы от %(date)s: %(outcome)s.")
            % {
                "date": decision.meeting.held_on.strftime("%d.%m.%Y"),
                "outcome": decision.get_outcome_display(),
            }
        )
        if decision.rationale:
            parts.append(_("Обоснование: %(text)s") % {"text": decision.rationale})
        if decision.responsible_id:
            name = decision.responsible.get_full_name() or decision.responsible.get_username()
            parts.append(_("Ответственный: %(name)s.") % {"name": name})
        if decision.due_date:
            parts.append(_("Срок: %(date)s.") % {"date": decision.due_date.strftime("%d.%m.%Y")})
        if implementation is not None:
            parts.append(
                _("Внедрено %(date)s. Что изменено: %(text)s")
                % {
                    "date": implementation.implemented_on.strftime("%d.%m.%Y"),
                    "text": implementation.changes,
                }
            )
    elif reason:
        parts.append(_("Комментарий рабочей группы: %(text)s") % {"text": reason})
    return "\n".join(parts)


# --- The working group ----------------------------------------------------------------


@transaction.atomic
def idea_status_set(*, idea, status, by, reason=""):
    """Take an idea up (подана → на рассмотрении) or start work on an accepted
    one (принята → в работе). Every other change is a meeting's decision.

    ``reason`` (up to RATIONALE_MAX characters) is kept whole in
    ``status_comment``; the history's change reason gets a short label of it."""
    reason = (reason or "").strip()
    if len(reason) > RATIONALE_MAX:
        raise ValidationError(
            _("Комментарий слишком длинный: не больше %(limit)d символов (сейчас %(count)d).")
            % {"limit": RATIONALE_MAX, "count": len(reason)}
        )
    locked = _lock(idea)
    if status not in MANUAL_TRANSITIONS.get(locked.status, ()):
        raise ValidationError(
            _("Идею в статусе «%(current)s» нельзя перевести в «%(new)s».")
            % {"current": locked.get_status_display(), "new": Status(status).label}
        )
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.status_comment = reason
    _save_with_history(locked, by=by, reason=reason or _("статус изменён рабочей группой"))
    _notify(
        idea=locked,
        kind=Kind.IDEA_STATUS,
        text=_status_text(locked, reason=reason),
        recipient_ids=_interested(locked),
        actor=by,
    )
    return locked


def _lock_pair(first, second):
    """Lock two ideas in a fixed order, so two merges never deadlock."""
    rows = Idea.objects.select_for_update().filter(pk__in=[first.pk, second.pk]).order_by("pk")
    by_pk = {row.pk: row for row in rows}
    return by_pk[first.pk], by_pk[second.pk]


def _check_merge(duplicate, original):
    if original is None:
        raise ValidationError({"duplicate_of": _("Укажите номер исходной идеи.")})
    if duplicate.pk == original.pk:
        raise ValidationError({"duplicate_of": _("Идею нельзя объединить саму с собой.")})
    if duplicate.status == Status.DUPLICATE:
        raise ValidationError(
            {
                "duplicate_of": _("Идея №%(number)s уже объединена с идеей №%(original)s.")
                % {"number": duplicate.pk, "original": duplicate.duplicate_of_id}
            }
        )
    if original.status == Status.DUPLICATE:
        # Covers merging into one's own duplicate and any chain: duplicates
        # always point at an idea that is not itself a duplicate.
        raise ValidationError(
            {
                "duplicate_of": _(
                    "Идея №%(number)s сама отмечена как дубликат идеи №%(root)s: "
                    "объединяйте с исходной идеей №%(root)s."
                )
                % {"number": original.pk, "root": original.duplicate_of_id}
            }
        )


def _merge(duplicate, original, *, by, reason):
    """Move ``duplicate``'s support to ``original`` and close it.

    Everyone who voted for the duplicate, and its author (who proposed the
    same thing), now count as one vote each for the original, unless they
    already voted there or wrote the original. Nobody is counted twice: the
    unique constraint would refuse it anyway.
    """
    voter_ids = set(Vote.objects.filter(idea=duplicate).values_list("user_id", flat=True))
    supporters = (voter_ids | {duplicate.author_id}) - {original.author_id}
    already = set(
        Vote.objects.filter(idea=original, user_id__in=supporters).values_list("user_id", flat=True)
    )
    Vote.objects.bulk_create(Vote(idea=original, user_id=uid) for uid in supporters - already)
    Vote.objects.filter(idea=duplicate).delete()
    # Ideas merged into the duplicate earlier follow it, so chains never form.
    Idea.objects.filter(duplicate_of=duplicate).update(duplicate_of=original)
    now = timezone.now()
    duplicate.status = Status.DUPLICATE
    duplicate.duplicate_of = original
    duplicate.status_changed_at = now
    duplicate.status_comment = ""
    duplicate.decided_at = now
    duplicate.first_reviewed_at = duplicate.first_reviewed_at or now
    duplicate.vote_count = 0
    _save_with_history(
        duplicate, by=by, reason=_("объединена с идеей №%(number)s") % {"number": original.pk}
    )
    _recount_votes(duplicate.pk)
    original.vote_count = _recount_votes(original.pk)
    return voter_ids | {duplicate.author_id}


def _merge_text(duplicate, original, reason):
    text = _(
        "Идея №%(number)s «%(title)s» объединена с похожей идеей "
        "№%(original)s «%(original_title)s». Голоса перенесены туда; следите за ней."
    ) % {
        "number": duplicate.pk,
        "title": duplicate.title,
        "original": original.pk,
        "original_title": original.title,
    }
    if reason:
        text += "\n" + _("Обоснование: %(text)s") % {"text": reason}
    return text


@transaction.atomic
def idea_merge(*, duplicate, original, by, reason=""):
    """Merge ``duplicate`` into ``original`` outside a meeting; see ``_merge``."""
    if original is None or duplicate.pk == original.pk:
        _check_merge(duplicate, original)  # refused before any lock is taken
    duplicate, original = _lock_pair(duplicate, original)
    _check_merge(duplicate, original)
    told = _merge(duplicate, original, by=by, reason=reason)
    # The notification leads to the original: that is where the idea lives on.
    _notify(
        idea=original,
        kind=Kind.IDEA_MERGE,
        text=_merge_text(duplicate, original, reason),
        recipient_ids=told,
        actor=by,
    )
    return original


@transaction.atomic
def meeting_create(*, held_on, minutes, attendees, by):
    meeting = ReviewMeeting(held_on=held_on, minutes=minutes.strip(), created_by=by)
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(list(attendees))
    return meeting


def _article_problem(article):
    """Why ``article`` cannot be named as changed by an idea, or None."""
    if article.deleted_at is not None:
        return _("«%(title)s» лежит в корзине: укажите опубликованный материал.")
    if article.status != Article.Status.PUBLISHED:
        return _(
            "«%(title)s» не опубликован (статус — «%(status)s»): укажите опубликованный материал."
        )
    return None


def implementation_errors(*, idea, changes, implemented_on, changed_articles):
    """The errors of an implementation's details, by field ({} when none).
    The decision form shows them all at once; ``decision_record`` checks them
    again (and the idea's status under its lock) before saving anything."""
    errors = {}
    if not changes:
        errors["changes"] = _("Опишите, что изменено: без этого реализация не записывается.")
    elif len(changes) > CHANGES_MAX:
        errors["changes"] = _(
            "Слишком длинно: не больше %(limit)d символов (сейчас %(count)d)."
        ) % {"limit": CHANGES_MAX, "count": len(changes)}
    submitted_on = timezone.localdate(idea.created_at)
    if implemented_on is None:
        errors["implemented_on"] = _("Укажите дату внедрения.")
    elif implemented_on > timezone.localdate():
        errors["implemented_on"] = _("Дата внедрения не может быть в будущем.")
    elif implemented_on < submitted_on:
        errors["implemented_on"] = _(
            "Дата внедрения раньше подачи идеи (%(date)s): проверьте дату."
        ) % {"date": submitted_on.strftime("%d.%m.%Y")}
    # Read again, not trusted from the form: an article may have gone to the
    # trash or back to a draft since the form was checked.
    ids = [article.pk for article in changed_articles]
    current = Article.all_objects.filter(pk__in=ids).only("id", "title", "status", "deleted_at")
    problems = []
    for article in current:
        problem = _article_problem(article)
        if problem:
            problems.append(
                problem % {"title": article.title, "status": article.get_status_display()}
            )
    if len(current) != len(set(ids)):
        problems.append(_("Одного из указанных материалов больше нет."))
    if problems:
        errors["changed_articles"] = problems
    return errors


def _check_implementable(idea):
    """Refuse «реализовано» for an idea the working group has not accepted
    (checked on the locked row, so two people at once cannot both pass)."""
    if idea.status == Status.IMPLEMENTED:
        raise ValidationError(
            _(
                "Идею №%(number)s уже отметили реализованной — возможно, коллега только что. "
                "Откройте её страницу: реализация записана там."
            )
            % {"number": idea.pk}
        )
    if idea.status not in IMPLEMENTABLE:
        raise ValidationError(
            {
                "outcome": _(
                    "Реализованной можно отметить только принятую идею (статус «принята» "
                    "или «в работе»), а у этой статус — «%(status)s». Сначала примите её."
                )
                % {"status": idea.get_status_display()}
            }
        )


def _check_decision(*, meeting, outcome, rationale, due_date, scores, duplicate_of):
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Выберите решение из списка.")
    elif outcome in Decision.NEEDS_RATIONALE and not rationale:
        errors["rationale"] = _(
            "Укажите причины: без них решение «%(outcome)s» не записывается."
        ) % {"outcome": Outcome(outcome).label}
    filled = [score for score in scores if score is not None]
    if filled and len(filled) != len(scores):
        errors["impact"] = _(
            "Укажите все три оценки (влияние, уверенность, простота) или ни одной."
        )
    if any(score is not None and not 1 <= score <= 10 for score in scores):
        errors["impact"] = _("Оценки ставятся от 1 до 10.")
    if outcome == Outcome.DUPLICATE and duplicate_of is None:
        errors["duplicate_of"] = _("Для решения «дубликат» укажите номер исходной идеи.")
    if due_date and due_date < meeting.held_on:
        errors["due_date"] = _("Срок не может быть раньше даты заседания.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_record(
    *,
    meeting,
    idea,
    outcome,
    by,
    rationale="",
    responsible=None,
    due_date=None,
    impact=None,
    confidence=None,
    ease=None,
    duplicate_of=None,
    changes="",
    implemented_on=None,
    changed_articles=(),
):
    """Record the meeting's decision on ``idea`` and apply it: new status,
    merge for a duplicate, notifications with the reasons.

    «Реализовано» (only for an accepted idea) also records the
    ``Implementation``: ``changes`` (required), ``implemented_on``
    (required) and ``changed_articles`` (published articles, optional).
    For other outcomes those three are ignored."""
    rationale = (rationale or "").strip()
    scores = (impact, confidence, ease)
    implementing = outcome == Outcome.IMPLEMENTED
    changes = (changes or "").strip()
    changed_articles = list(changed_articles or ())
    try:
        _check_decision(
            meeting=meeting,
            outcome=outcome,
            rationale=rationale,
            due_date=due_date,
            scores=scores,
            duplicate_of=duplicate_of,
        )
        errors = {}
    except ValidationError as error:
        errors = error.message_dict
    if implementing:
        errors = {
            **implementation_errors(
                idea=idea,
                changes=changes,
                implemented_on=implemented_on,
                changed_articles=changed_articles,
            ),
            **errors,
        }
    if errors:
        raise ValidationError(errors)
    if outcome == Outcome.DUPLICATE:
        if duplicate_of.pk == idea.pk:
            _check_merge(idea, duplicate_of)
        idea, original = _lock_pair(idea, duplicate_of)
        _check_merge(idea, original)
    else:
        idea, original = _lock(idea), None
        if idea.status == Status.DUPLICATE:
            raise ValidationError(
                _("Идея объединена с идеей №%(number)s; решения по ней больше не принимаются.")
                % {"number": idea.duplicate_of_id}
            )
        if implementing:
            _check_implementable(idea)
    decision = Decision.objects.create(
        idea=idea,
        meeting=meeting,
        outcome=outcome,
        rationale=rationale,
        responsible=responsible,
        due_date=due_date,
        impact=impact,
        confidence=confidence,
        ease=ease,
        merged_into=original,
        created_by=by,
    )
    now = timezone.now()
    idea.latest_decision = decision
    idea.decided_at = now
    idea.first_reviewed_at = idea.first_reviewed_at or now
    if decision.ice_score is not None:
        idea.ice_score = decision.ice_score
    if original is not None:
        told = _merge(idea, original, by=by, reason=rationale)
        Idea.objects.filter(pk=idea.pk).update(latest_decision=decision, ice_score=idea.ice_score)
        _notify(
            idea=original,
            kind=Kind.IDEA_MERGE,
            text=_merge_text(idea, original, rationale),
            recipient_ids=told,
            actor=by,
        )
        return decision
    implementation = None
    if implementing:
        implementation = _implementation_save(
            idea=idea,
            decision=decision,
            by=by,
            changes=changes,
            implemented_on=implemented_on,
            changed_articles=changed_articles,
        )
    told = _interested(idea)
    new_status = OUTCOME_STATUS[outcome]
    if new_status != idea.status:
        idea.status = new_status
        idea.status_changed_at = now
    idea.status_comment = ""  # the decision's own rationale answers now
    _save_with_history(
        idea,
        by=by,
        reason=_("решение заседания %(date)s: %(outcome)s")
        % {"date": meeting.held_on.strftime("%d.%m.%Y"), "outcome": decision.get_outcome_display()},
    )
    _notify(
        idea=idea,
        kind=Kind.IDEA_STATUS,
        text=_status_text(idea, decision=decision, implementation=implementation),
        recipient_ids=told,
        actor=by,
    )
    return decision


def _implementation_save(*, idea, decision, by, changes, implemented_on, changed_articles):
    """The idea's implementation record, new or (for an idea reopened and
    implemented again) rewritten; history keeps every version."""
    implementation = Implementation.objects.filter(idea=idea).first() or Implementation(idea=idea)
    implementation.decision = decision
    implementation.changes = changes
    implementation.implemented_on = implemented_on
    implementation.recorded_by = by
    implementation.recorded_at = timezone.now()
    implementation.full_clean(exclude=["idea"])
    implementation._change_reason = history_label(
        _("решение заседания %(date)s: реализовано")
        % {"date": decision.meeting.held_on.strftime("%d.%m.%Y")}
    )
    implementation._history_user = by
    implementation.save()
    implementation.articles.set(changed_articles)
    return implementation
