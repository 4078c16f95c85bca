"""Writes: submitting, resubmitting and withdrawing a proposal; an editor's
accept, return and reject. Used by the views, the admin and the tests alike.

Rules decided here:
- A proposal is made on a published article (or a live section) only.
- Deciding happens once: the proposal row is locked and must still be
  pending, so two editors at once get exactly one decision.
- An edit made on an older version than the article's is never applied: the
  editor is told, and can return it to the author to redo on the new text.
- Accepting saves the article through its own save(): version, «обновлено»,
  history with the editor and a reason that names the proposal and its
  author, and the credit on the article.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article, ArticleUpdate
from articles.services import article_published_notify, article_update_record, attachment_add
from articles.uploads import inspect_upload
from contributions.services import add_months, review_interval_months
from kb_portal.ratelimits import hourly_limit_check
from notifications.models import Kind
from notifications.services import notification_send
from people import roles
from proposals.models import Proposal, ProposalAttachment
from proposals.selectors import section_is_live
from search.services import search_index_articles

CHANGE_REASON_MAX = 100  # django-simple-history's column


class ProposalRefused(ValidationError):
    """What a person is told when a proposal cannot be made or decided."""


def person_name(user):
    return user.get_full_name() or user.get_username()


def person_credit(user):
    """«Анна Петрова, ЦЗН г. Тольятти»: the name and, when known, the office."""
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    office = profile.office.title if profile is not None and profile.office_id else ""
    return {"name": person_name(user), "office": office}


def credit_text(credit):
    return ", ".join(part for part in (credit["name"], credit["office"]) if part)


def _check_article(article):
    if article.deleted_at is not None or article.section.deleted_at is not None:
        raise ProposalRefused(_("Материал удалён: предложить к нему правку нельзя."))
    if article.status != Article.Status.PUBLISHED:
        raise ProposalRefused(_("Предложить правку можно только к опубликованному материалу."))


def _check_section(section):
    if not section_is_live(section):
        raise ProposalRefused(_("Раздел удалён: предложить в него материал нельзя."))


def _check_rate(author):
    hourly_limit_check(
        user=author,
        rows=Proposal.objects.filter(author=author),
        since_field="submitted_at",
        limit=settings.PROPOSALS_PER_HOUR,
        message=ngettext(
            "За час можно отправить не больше %(limit)d предложения. Попробуйте позже.",
            "За час можно отправить не больше %(limit)d предложений. Попробуйте позже.",
            settings.PROPOSALS_PER_HOUR,
        ),
        error=ProposalRefused,
    )


def _editors():
    return get_user_model().objects.filter(groups__name=roles.EDITOR, is_active=True)


def _notify_new(proposal):
    recipients = set(_editors().values_list("pk", flat=True))
    if proposal.is_edit and proposal.article.owner_id:
        recipients.add(proposal.article.owner_id)
    recipients.discard(proposal.author_id)
    if proposal.is_edit:
        text = _("%(author)s предлагает правку к материалу «%(title)s».") % {
            "author": person_name(proposal.author),
            "title": proposal.article.title,
        }
    else:
        text = _("%(author)s предлагает новый материал «%(title)s» в раздел «%(section)s».") % {
            "author": person_name(proposal.author),
            "title": proposal.title,
            "section": proposal.section.title,
        }
    notification_send(
        recipients=recipients,
        kind=Kind.PROPOSAL_NEW,
        text=text,
        url=proposal.get_absolute_url(),
        target=proposal,
    )


def _notify_author(proposal):
    texts = {
        Proposal.Status.ACCEPTED: _("Ваше предложение «%(title)s» принято. Спасибо!"),
        Proposal.Status.RETURNED: _("Ваше предложение «%(title)s» нужно доработать: %(comment)s"),
        Proposal.Status.REJECTED: _("Ваше предложение «%(title)s» отклонено: %(comment)s"),
    }
    text = texts[proposal.status] % {
        "title": proposal.title,
        "comment": Truncator(proposal.editor_comment).chars(300),
    }
    notification_send(
        recipients=[proposal.author_id],
        kind=Kind.PROPOSAL_STATUS,
        text=text,
        url=proposal.get_absolute_url(),
        target=proposal,
    )


def _check_uploads(uploads):
    errors = []
    for upload in uploads:
        try:
            inspect_upload(upload)
        except ValidationError as error:
            errors.extend(f"{upload.name}: {message}" for message in error.messages)
    if errors:
        raise ProposalRefused(errors)


@transaction.atomic
def proposal_submit(
    *, author, title, summary, body, rationale, article=None, section=None, kind="", uploads=()
):
    """Make a proposal: an edit of ``article`` or a new material in ``section``.

    Every file is checked before anything is written; a refused one raises
    and nothing (no row, no file) is kept.
    """
    if (article is None) == (section is None):
        raise ValueError("A proposal is for an article or for a section, not both.")
    if article is not None:
        _check_article(article)
        uploads = ()  # files are added to an article by its editors
    else:
        _check_section(section)
        if kind not in Article.Kind.values:
            raise ProposalRefused(_("Выберите вид материала из списка."))
    _check_uploads(uploads)
    _check_rate(author)
    proposal = Proposal(
        author=author,
        article=article,
        section=section,
        base_version=article.version if article is not None else None,
        title=title,
        kind=article.kind if article is not None else kind,
        summary=summary,
        body=body,
        rationale=rationale,
    )
    proposal._history_user = author
    proposal.save()
    stored = []
    try:
        for upload in uploads:
            attachment = ProposalAttachment(proposal=proposal, file=upload)
            attachment._history_user = author
            attachment.save()
            stored.append(attachment.file)
        _notify_new(proposal)
    except BaseException:
        # The rows roll back with the transaction; the files on disk would not.
        for file in stored:
            file.delete(save=False)
        raise
    return proposal


def _locked(proposal):
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("author", "article", "section")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def proposal_resubmit(*, proposal, by, title, summary, body, rationale):
    """The author's new text after «нужна доработка»: back to the editors,
    now made on the article's current version."""
    proposal = _locked(proposal)
    if proposal.author_id != by.pk:
        raise ProposalRefused(_("Изменить предложение может только его автор."))
    if proposal.status != Proposal.Status.RETURNED:
        raise ProposalRefused(
            _("Изменить и отправить снова можно только предложение, которое вернули на доработку.")
        )
    if proposal.is_edit:
        article = Article.objects.select_related("section").filter(pk=proposal.article_id).first()
        if article is None:
            raise ProposalRefused(_("Материал удалён: предложить к нему правку нельзя."))
        _check_article(article)
        proposal.base_version = article.version
    else:
        _check_section(proposal.section)
    _check_rate(by)
    proposal.title, proposal.summary, proposal.body = title, summary, body
    proposal.rationale = rationale
    proposal.status = Proposal.Status.PENDING
    proposal.submitted_at = timezone.now()
    proposal._history_user = by
    proposal._change_reason = _("отправлено снова после доработки")
    proposal.save()
    _notify_new(proposal)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal, by):
    """The author takes back a proposal nobody has decided on yet."""
    proposal = _locked(proposal)
    if proposal.author_id != by.pk:
        raise ProposalRefused(_("Отозвать предложение может только его автор."))
    if not proposal.is_open:
        raise ProposalRefused(_("Это предложение уже рассмотрено, отозвать его нельзя."))
    proposal.status = Proposal.Status.WITHDRAWN
    proposal._history_user = by
    proposal._change_reason = _("отозвано автором")
    proposal.save()
    return proposal


def _decidable(proposal, by):
    if not roles.is_editor(by):
        raise ProposalRefused(_("Рассматривать предложения могут только редакторы."))
    proposal = _locked(proposal)
    if proposal.status != Proposal.Status.PENDING:
        raise ProposalRefused(
            _("Это предложение уже рассмотрено (%(status)s): повторно его не применить."),
            params={"status": proposal.get_status_display()},
        )
    return proposal


def _decide(proposal, by, status, comment=""):
    proposal.status = status
    proposal.editor_comment = comment
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal._history_user = by
    proposal.save()
    _notify_author(proposal)
    return proposal


def _change_reason(proposal, credit):
    reason = _("Принято предложение № %(number)d. Предложил(а): %(credit)s") % {
        "number": proposal.pk,
        "credit": credit_text(credit),
    }
    return Truncator(reason).chars(CHANGE_REASON_MAX)


def _accept_edit(proposal, by, credit):
    article = Article.all_objects.select_for_update().filter(pk=proposal.article_id).first()
    if article is None or article.deleted_at is not None:
        raise ProposalRefused(_("Материал удалён: принять правку нельзя."))
    _check_article(article)
    if article.version != proposal.base_version:
        raise ProposalRefused(
            _(
                "Материал изменился после того, как сделано предложение (версия "
                "%(base)d, сейчас %(current)d). Сравните с новой версией ниже: правку "
                "можно вернуть автору на доработку."
            ),
            params={"base": proposal.base_version, "current": article.version},
        )
    article.title, article.summary, article.body = proposal.title, proposal.summary, proposal.body
    article.credits = [*article.credits, credit]
    article._history_user = by
    article._change_reason = _change_reason(proposal, credit)
    article.save()
    return article


def _unique_slug(proposal):
    slug = f"predlozhenie-{proposal.pk}"
    n = 1
    while Article.all_objects.filter(slug=slug).exists():
        n += 1
        slug = f"predlozhenie-{proposal.pk}-{n}"
    return slug


def _accept_new(proposal, by, credit):
    _check_section(proposal.section)
    today = timezone.localdate()
    article = Article(
        section=proposal.section,
        title=proposal.title,
        slug=_unique_slug(proposal),
        summary=proposal.summary,
        body=proposal.body,
        kind=proposal.kind,
        status=Article.Status.PUBLISHED,
        owner=by,
        review_due=add_months(today, review_interval_months(Article.Lifecycle.EVERGREEN)),
        credits=[credit],
    )
    article._history_user = by
    article._change_reason = _change_reason(proposal, credit)
    article.save()
    for attachment in proposal.attachments.all():
        with attachment.file.open("rb") as handle:
            upload = File(handle, name=attachment.original_name)
            attachment_add(article=article, upload=upload, title=attachment.title)
    return article


@transaction.atomic
def proposal_accept(*, proposal, by):
    """Publish the proposed change (or the new material) with its author credited."""
    proposal = _decidable(proposal, by)
    credit = {**person_credit(proposal.author), "proposal": proposal.pk}
    if proposal.is_edit:
        article = _accept_edit(proposal, by, credit)
        # An accepted edit is a substantive update: its «что и почему» is what changed.
        if article.is_published:
            article_update_record(
                article=article,
                summary=proposal.rationale,
                by=by,
                source=ArticleUpdate.Source.PROPOSAL,
            )
    else:
        article = _accept_new(proposal, by, credit)
        proposal.created_article = article
        article_published_notify(article=article, by=by)
    search_index_articles(article_ids=[article.pk])
    return _decide(proposal, by, Proposal.Status.ACCEPTED)


@transaction.atomic
def proposal_return(*, proposal, by, comment):
    """Back to the author with what to rework."""
    if not comment.strip():
        raise ProposalRefused(_("Напишите автору, что доработать."))
    proposal = _decidable(proposal, by)
    return _decide(proposal, by, Proposal.Status.RETURNED, comment.strip())


@transaction.atomic
def proposal_reject(*, proposal, by, reason):
    if not reason.strip():
        raise ProposalRefused(_("Напишите, почему предложение отклонено."))
    proposal = _decidable(proposal, by)
    return _decide(proposal, by, Proposal.Status.REJECTED, reason.strip())
