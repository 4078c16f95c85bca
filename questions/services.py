"""Writes of questions, answers and error reports.

Rules decided here (the views, the admin and the tests all come through):
- Text is plain: stripped, required, within its limit; shown escaped.
- Only a published article takes new questions and error reports; answers
  and the rest need the article to be one the person may see.
- Each person may send QUESTIONS_PER_HOUR questions, ANSWERS_PER_HOUR answers
  and ERROR_REPORTS_PER_HOUR error reports an hour. The count is taken from
  the database under a lock on the person's row, so parallel requests of one
  script cannot slip past it and every worker sees the same count.
- The owner of the article (or, when it has none, every editor) hears of a new
  question; the asker hears of every answer; the owner and editors hear of an
  error report, its author of how it was closed. Nobody is told of their own act.
- Resolving, reopening, «лучший ответ», deleting and «Сделать FAQ» are checked
  here too (PermissionDenied), so no page can skip the check.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from articles.models import Article
from kb_portal.ratelimits import hourly_limit_check
from notifications.models import Kind
from notifications.services import notification_send, notifications_delete_for
from people import roles
from questions.models import (
    ANSWER_MAX,
    QUESTION_MAX,
    QUOTE_MAX,
    REPLY_MAX,
    REPORT_MAX,
    Answer,
    ErrorReport,
    Question,
)
from questions.permissions import can_close_report, can_moderate, can_resolve
from search.services import search_index_articles

FAQ_TITLE_MAX = 200
NOTICE_TEXT_CHARS = 300


# --- Checks shared by the writes ----------------------------------------------------------


def _clean_text(text, *, limit, required_message, field="text"):
    """``text`` stripped of the spaces around it; a clear Russian error when it
    is empty or longer than ``limit``. A NUL byte never reaches the database."""
    text = (text or "").replace("\x00", "").strip()
    if required_message and not text:
        raise ValidationError({field: required_message})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Слишком длинно: не больше %(limit)d символов (сейчас %(length)d).")
                % {"limit": limit, "length": len(text)}
            }
        )
    return text


def _rate_limit(*, user, model, limit, message):
    """Refuse when ``user`` wrote ``limit`` rows of ``model`` in the last hour."""
    hourly_limit_check(
        user=user,
        rows=model.objects.filter(author=user),
        since_field="created_at",
        limit=limit,
        message=message,
    )


def _published(article):
    """The article, locked, if it is published and not in the trash."""
    locked = Article.objects.select_for_update().filter(pk=article.pk).first()
    if locked is None or not locked.is_published:
        raise ValidationError(_("Материал не опубликован: здесь сейчас ничего отправить нельзя."))
    return locked


def _visible(article, user):
    if not Article.objects.visible_to(user).filter(pk=article.pk).exists():
        raise PermissionDenied(_("Этот материал вам недоступен."))


def _lock_question(question):
    """The question as it is now, locked: a concurrent answer, deletion or
    FAQ waits for this one to finish and then sees what it did."""
    return (
        Question.objects.select_for_update().select_related("article__section").get(pk=question.pk)
    )


def _editors():
    return get_user_model().objects.filter(is_active=True, groups__name=roles.EDITOR)


def _owner_or_editors(article):
    if article.owner_id is not None and article.owner.is_active:
        return {article.owner_id}
    return set(_editors().values_list("pk", flat=True))


def _short(text, limit=NOTICE_TEXT_CHARS):
    return Truncator(" ".join(text.split())).chars(limit)


def _notify(*, recipients, actor, kind, text, url, target, article):
    recipients = set(recipients) - {actor.pk}
    return notification_send(
        recipients=recipients,
        kind=kind,
        text=text,
        url=url,
        target=target,
        subject=_("База знаний: %(title)s") % {"title": _short(article.title, 80)},
    )


# --- Questions and answers ------------------------------------------------------------------


@transaction.atomic
def question_ask(*, article, author, text):
    """Ask ``text`` under ``article``; its owner (or the editors) are told."""
    text = _clean_text(text, limit=QUESTION_MAX, required_message=_("Напишите вопрос."))
    article = _published(article)
    _rate_limit(
        user=author,
        model=Question,
        limit=settings.QUESTIONS_PER_HOUR,
        message=_(
            "Вы задали уже %(limit)d вопросов за час. Пожалуйста, подождите немного и "
            "попробуйте снова."
        ),
    )
    question = Question(article=article, author=author, text=text)
    question._history_user = author
    question.save()
    _notify(
        recipients=_owner_or_editors(article),
        actor=author,
        kind=Kind.QUESTION_NEW,
        text=_("Новый вопрос к материалу «%(title)s»: %(text)s")
        % {"title": article.title, "text": _short(text)},
        url=question.get_absolute_url(),
        target=question,
        article=article,
    )
    return question


@transaction.atomic
def answer_post(*, question, author, text):
    """Answer ``question``; its author is told. A deleted question takes no answer."""
    text = _clean_text(text, limit=ANSWER_MAX, required_message=_("Напишите ответ."))
    question = _lock_question(question)
    if question.is_deleted:
        raise ValidationError(_("Вопрос удалён: ответить на него нельзя."))
    _visible(question.article, author)
    _rate_limit(
        user=author,
        model=Answer,
        limit=settings.ANSWERS_PER_HOUR,
        message=_(
            "Вы дали уже %(limit)d ответов за час. Пожалуйста, подождите немного и "
            "попробуйте снова."
        ),
    )
    answer = Answer(question=question, author=author, text=text)
    answer._history_user = author
    answer.save()
    _notify(
        recipients={question.author_id},
        actor=author,
        kind=Kind.QUESTION_ANSWER,
        text=_("Ответ на ваш вопрос к материалу «%(title)s»: %(text)s")
        % {"title": question.article.title, "text": _short(text)},
        url=question.get_absolute_url(),
        target=answer,
        article=question.article,
    )
    return answer


def _save(obj, by, fields, reason):
    obj._history_user = by
    obj._change_reason = reason
    obj.save(update_fields=fields)


@transaction.atomic
def question_resolve(*, question, by):
    """Mark the question resolved: its author, the article's owner or an editor."""
    question = _lock_question(question)
    if not can_resolve(by, question):
        raise PermissionDenied(
            _("Отметить вопрос решённым может его автор, ответственный или редактор.")
        )
    if question.is_deleted:
        raise ValidationError(_("Вопрос удалён."))
    if not question.is_resolved:
        question.resolved_at, question.resolved_by = timezone.now(), by
        _save(question, by, ["resolved_at", "resolved_by"], _("вопрос решён"))
    return question


@transaction.atomic
def question_reopen(*, question, by):
    question = _lock_question(question)
    if not can_resolve(by, question):
        raise PermissionDenied(
            _("Открыть вопрос снова может его автор, ответственный или редактор.")
        )
    if question.is_deleted:
        raise ValidationError(_("Вопрос удалён."))
    if question.is_resolved:
        question.resolved_at, question.resolved_by = None, None
        _save(question, by, ["resolved_at", "resolved_by"], _("вопрос открыт снова"))
    return question


@transaction.atomic
def answer_mark_best(*, answer, by):
    """«Лучший ответ» (the owner or an editor); the question counts as resolved."""
    question = _lock_question(answer.question)
    if not can_moderate(by, question.article):
        raise PermissionDenied(_("Выбрать лучший ответ может ответственный или редактор."))
    answer = Answer.objects.get(pk=answer.pk)
    if question.is_deleted or answer.deleted_at is not None or answer.question_id != question.pk:
        raise ValidationError(_("Ответ или вопрос удалён."))
    question.best_answer = answer
    fields = ["best_answer"]
    if not question.is_resolved:
        question.resolved_at, question.resolved_by = timezone.now(), by
        fields += ["resolved_at", "resolved_by"]
    _save(question, by, fields, _("выбран лучший ответ"))
    return answer


@transaction.atomic
def question_delete(*, question, by):
    """Hide a question (editors); it stays in history, its notifications go."""
    question = _lock_question(question)
    if not roles.is_editor(by):
        raise PermissionDenied(_("Удалить вопрос может редактор."))
    if not question.is_deleted:
        question.deleted_at, question.deleted_by = timezone.now(), by
        _save(question, by, ["deleted_at", "deleted_by"], _("вопрос удалён"))
        notifications_delete_for(target=question)
        for answer in question.answers.all():
            notifications_delete_for(target=answer)
    return question


@transaction.atomic
def answer_delete(*, answer, by):
    """Hide an answer (editors); a best answer stops being one."""
    question = _lock_question(answer.question)
    if not roles.is_editor(by):
        raise PermissionDenied(_("Удалить ответ может редактор."))
    answer = Answer.objects.get(pk=answer.pk)
    if answer.deleted_at is None:
        answer.deleted_at, answer.deleted_by = timezone.now(), by
        _save(answer, by, ["deleted_at", "deleted_by"], _("ответ удалён"))
        notifications_delete_for(target=answer)
    if question.best_answer_id == answer.pk:
        question.best_answer = None
        _save(question, by, ["best_answer"], _("лучший ответ удалён"))
    return answer


def faq_body(text):
    """An answer's plain text as HTML paragraphs (escaped; blank lines part
    paragraphs, single line breaks stay)."""
    return linebreaks(text, autoescape=True)


@transaction.atomic
def question_to_faq(*, question, by):
    """«Сделать FAQ»: a draft «вопрос-ответ» article in the article's section,
    titled by the question, with the best (or else the latest) answer as its
    text, linked to the article and recorded on the question. Twice is
    refused: the question's row is locked, so of two editors at once the
    second sees the first one's article."""
    question = _lock_question(question)
    if not roles.is_editor(by):
        raise PermissionDenied(_("Сделать FAQ может редактор."))
    if question.is_deleted:
        raise ValidationError(_("Вопрос удалён."))
    if question.faq_article_id is not None:
        existing = Article.all_objects.filter(pk=question.faq_article_id).first()
        raise ValidationError(
            _("Этот вопрос уже вошёл в FAQ: «%(title)s».")
            % {"title": existing.title if existing else question.faq_article_id}
        )
    answers = question.answers.alive()
    answer = None
    if question.best_answer_id:
        answer = answers.filter(pk=question.best_answer_id).first()
    answer = answer or answers.order_by("-created_at", "-pk").first()
    if answer is None:
        raise ValidationError(_("У вопроса ещё нет ответа: FAQ делать не из чего."))
    source = question.article
    title = Truncator(" ".join(question.text.split())).chars(FAQ_TITLE_MAX)
    article = Article(
        section_id=source.section_id,
        title=title,
        slug=f"faq-{question.pk}",
        kind=Article.Kind.FAQ,
        status=Article.Status.DRAFT,
        owner=by,
        body=faq_body(answer.text),
    )
    article._history_user = by
    article._change_reason = _("сделано из вопроса к материалу «%(title)s»") % {
        "title": _short(source.title, 60)
    }
    article.save()
    article.related.add(source)
    question.faq_article = article
    _save(question, by, ["faq_article"], _("вошёл в FAQ"))
    search_index_articles(article_ids=[article.pk])
    return article


# --- Error reports --------------------------------------------------------------------------


@transaction.atomic
def error_report_submit(*, article, author, text, quote=""):
    """«Сообщить о неточности»: only the owner and the editors hear of it."""
    text = _clean_text(
        text, limit=REPORT_MAX, required_message=_("Напишите, что не так в материале.")
    )
    quote = _clean_text(quote, limit=QUOTE_MAX, required_message=None, field="quote")
    article = _published(article)
    _rate_limit(
        user=author,
        model=ErrorReport,
        limit=settings.ERROR_REPORTS_PER_HOUR,
        message=_(
            "Вы отправили уже %(limit)d сообщений о неточностях за час. Пожалуйста, "
            "подождите немного и попробуйте снова."
        ),
    )
    report = ErrorReport(article=article, author=author, text=text, quote=quote)
    report._history_user = author
    report.save()
    recipients = set(_editors().values_list("pk", flat=True))
    if article.owner_id is not None:
        recipients.add(article.owner_id)
    _notify(
        recipients=recipients,
        actor=author,
        kind=Kind.ERROR_REPORT,
        text=_("Сообщение о неточности в материале «%(title)s»: %(text)s")
        % {"title": article.title, "text": _short(text)},
        url=report.get_absolute_url(),
        target=report,
        article=article,
    )
    return report


@transaction.atomic
def error_report_close(*, report, by, status, comment=""):
    """Close a report as «исправлено» or «отклонено» with a comment (the
    owner or an editor); its author is told. A report closed by someone else
    a moment ago is not closed twice."""
    report = (
        ErrorReport.objects.select_for_update().select_related("article__section").get(pk=report.pk)
    )
    if not can_close_report(by, report):
        raise PermissionDenied(_("Закрыть сообщение может ответственный за материал или редактор."))
    if status not in (ErrorReport.Status.FIXED, ErrorReport.Status.REJECTED):
        raise ValidationError({"status": _("Выберите: исправлено или отклонено.")})
    comment = _clean_text(
        comment,
        limit=REPLY_MAX,
        required_message=_("Напишите комментарий: что сделано или почему отклонено."),
        field="comment",
    )
    if not report.is_open:
        raise ValidationError(
            _("Сообщение уже закрыто: %(status)s.") % {"status": report.get_status_display()}
        )
    report.status, report.reply = status, comment
    report.closed_at, report.closed_by = timezone.now(), by
    _save(
        report,
        by,
        ["status", "reply", "closed_at", "closed_by"],
        report.get_status_display(),
    )
    _notify(
        recipients={report.author_id},
        actor=by,
        kind=Kind.ERROR_REPORT,
        text=_("Ваше сообщение о неточности в материале «%(title)s»: %(status)s. %(comment)s")
        % {
            "title": report.article.title,
            "status": report.get_status_display(),
            "comment": _short(comment),
        },
        url=report.get_absolute_url(),
        target=report,
        article=report.article,
    )
    return report
