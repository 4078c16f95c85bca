"""The proposal services: submit, resubmit, withdraw, accept, return, reject."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Article
from contributions.services import add_months
from notifications.models import Kind, Notification
from people.models import Office, Profile
from proposals.models import Proposal, ProposalAttachment
from proposals.services import (
    ProposalRefused,
    proposal_accept,
    proposal_reject,
    proposal_resubmit,
    proposal_return,
    proposal_withdraw,
)
from tests.factories import make_article, make_section, make_user, pdf_bytes
from tests.proposals.helpers import propose_edit, propose_new


@pytest.fixture
def office(db):
    return Office.objects.create(title="ЦЗН г. Тольятти", code="czn-tlt", kind="job_centre")


@pytest.fixture
def author(staff, office):
    Profile.objects.create(user=staff, office=office)
    return staff


@pytest.fixture
def article(editor):
    return make_article(
        title="Сроки выплат",
        summary="О сроках.",
        body="<p>Пособие платят раз в месяц.</p>",
        owner=editor,
    )


def test_submit_records_the_base_version_and_cleans_every_field(author, article):
    proposal = propose_edit(
        article,
        author,
        title="<script>alert(1)</script>Сроки <b>выплат</b>",
        summary="<img src=x onerror=alert(1)>Кратко",
        body='<p onclick="alert(1)">Раз в <script>alert(1)</script>две недели</p>'
        '<a href="javascript:alert(1)">ссылка</a>',
    )
    proposal.refresh_from_db()
    assert proposal.base_version == article.version
    assert proposal.status == Proposal.Status.PENDING
    assert proposal.title == "alert(1)Сроки выплат"
    assert proposal.summary == "Кратко"
    assert "script" not in proposal.body and "onclick" not in proposal.body
    assert "javascript" not in proposal.body


def test_submit_tells_the_owner_and_editors_not_the_author(author, article, editor):
    other_editor = make_user(role="Редактор")
    proposal = propose_edit(article, author, body="<p>Новое</p>")
    told = set(
        Notification.objects.filter(kind=Kind.PROPOSAL_NEW).values_list("recipient", flat=True)
    )
    assert told == {editor.pk, other_editor.pk}
    assert Notification.objects.filter(url=proposal.get_absolute_url()).count() == 2


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.ARCHIVED])
def test_no_proposal_on_an_unpublished_article(author, status):
    article = make_article(status=status)
    with pytest.raises(ProposalRefused, match="только к опубликованному"):
        propose_edit(article, author)
    assert not Proposal.objects.exists()


def test_no_proposal_on_a_trashed_article_or_in_a_trashed_section(author):
    from articles.services import article_trash, section_trash

    article = make_article()
    article_trash(article=article)
    with pytest.raises(ProposalRefused, match="удалён"):
        propose_edit(article, author)
    parent = make_section()
    child = make_section(parent=parent)
    section_trash(section=parent)
    child.refresh_from_db()
    with pytest.raises(ProposalRefused, match="Раздел удалён"):
        propose_new(child, author)
    assert not Proposal.objects.exists()


def test_rate_limit(author, article, settings):
    settings.PROPOSALS_PER_HOUR = 2
    propose_edit(article, author)
    propose_edit(article, author)
    with pytest.raises(ProposalRefused, match="не больше 2 предложений"):
        propose_edit(article, author)
    assert Proposal.objects.count() == 2


def test_accept_publishes_the_change_with_credit_and_history(author, article, editor):
    proposal = propose_edit(article, author, body="<p>Пособие платят раз в две недели.</p>")
    before = article.version
    proposal_accept(proposal=proposal, by=editor)
    article.refresh_from_db()
    proposal.refresh_from_db()
    assert article.body == "<p>Пособие платят раз в две недели.</p>"
    assert article.version == before + 1
    assert article.credits == [
        {"name": "Анна Петрова", "office": "ЦЗН г. Тольятти", "proposal": proposal.pk}
    ]
    record = article.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == (
        f"Принято предложение № {proposal.pk}. Предложил(а): Анна Петрова, ЦЗН г. Тольятти"
    )
    assert proposal.status == Proposal.Status.ACCEPTED
    assert proposal.decided_by == editor and proposal.decided_at is not None
    told = Notification.objects.get(kind=Kind.PROPOSAL_STATUS)
    assert told.recipient == author and "принято" in told.text


def test_accept_twice_is_refused(author, article, editor):
    proposal = propose_edit(article, author, title="Новый заголовок")
    proposal_accept(proposal=proposal, by=editor)
    version = Article.objects.get(pk=article.pk).version
    with pytest.raises(ProposalRefused, match="уже рассмотрено"):
        proposal_accept(proposal=proposal, by=editor)
    article.refresh_from_db()
    assert article.version == version
    assert len(article.credits) == 1


def test_a_proposal_on_an_older_version_is_refused_not_applied(author, article, editor):
    proposal = propose_edit(article, author, body="<p>Правка на старой версии.</p>")
    article.body = "<p>Редактор поменял текст.</p>"
    article.save()
    with pytest.raises(ProposalRefused, match="Материал изменился"):
        proposal_accept(proposal=proposal, by=editor)
    article.refresh_from_db()
    proposal.refresh_from_db()
    assert article.body == "<p>Редактор поменял текст.</p>"
    assert article.credits == []
    assert proposal.status == Proposal.Status.PENDING
    proposal_return(proposal=proposal, by=editor, comment="Перенесите правку на новый текст.")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED


def test_return_and_resubmit_moves_the_base_version(author, article, editor):
    proposal = propose_edit(article, author, body="<p>Первая попытка.</p>")
    article.summary = "Изменено редактором."
    article.save()
    proposal_return(proposal=proposal, by=editor, comment="Уточните сумму.")
    proposal.refresh_from_db()
    assert proposal.editor_comment == "Уточните сумму."
    told = Notification.objects.get(kind=Kind.PROPOSAL_STATUS)
    assert "доработать" in told.text and told.recipient == author
    Notification.objects.all().delete()
    proposal_resubmit(
        proposal=proposal,
        by=author,
        title=article.title,
        summary=article.summary,
        body="<p>Вторая попытка.</p>",
        rationale="Уточнил.",
    )
    proposal.refresh_from_db()
    article.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    assert proposal.base_version == article.version
    assert Notification.objects.filter(kind=Kind.PROPOSAL_NEW, recipient=editor).exists()
    proposal_accept(proposal=proposal, by=editor)
    article.refresh_from_db()
    assert article.body == "<p>Вторая попытка.</p>"


def test_only_the_author_resubmits_and_only_when_returned(author, article, editor):
    proposal = propose_edit(article, author)
    data = {"title": "x", "summary": "", "body": "", "rationale": "y"}
    with pytest.raises(ProposalRefused, match="вернули на доработку"):
        proposal_resubmit(proposal=proposal, by=author, **data)
    proposal_return(proposal=proposal, by=editor, comment="Доработайте.")
    with pytest.raises(ProposalRefused, match="только его автор"):
        proposal_resubmit(proposal=proposal, by=editor, **data)


def test_return_and_reject_need_a_comment(author, article, editor):
    proposal = propose_edit(article, author)
    with pytest.raises(ProposalRefused, match="что доработать"):
        proposal_return(proposal=proposal, by=editor, comment="  ")
    with pytest.raises(ProposalRefused, match="почему"):
        proposal_reject(proposal=proposal, by=editor, reason="")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    proposal_reject(proposal=proposal, by=editor, reason="Дублирует приказ.")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert proposal.editor_comment == "Дублирует приказ."
    with pytest.raises(ProposalRefused, match="уже рассмотрено"):
        proposal_return(proposal=proposal, by=editor, comment="Поздно.")


def test_staff_cannot_decide(author, article):
    proposal = propose_edit(article, author)
    with pytest.raises(ProposalRefused, match="только редакторы"):
        proposal_accept(proposal=proposal, by=author)


def test_withdraw(author, article, editor):
    proposal = propose_edit(article, author)
    with pytest.raises(ProposalRefused, match="только его автор"):
        proposal_withdraw(proposal=proposal, by=editor)
    proposal_withdraw(proposal=proposal, by=author)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    with pytest.raises(ProposalRefused, match="уже рассмотрено"):
        proposal_accept(proposal=proposal, by=editor)
    with pytest.raises(ProposalRefused, match="уже рассмотрено"):
        proposal_withdraw(proposal=proposal, by=author)


def test_accept_new_material_creates_a_published_article(author, editor):
    section = make_section()
    upload = SimpleUploadedFile("приказ.pdf", pdf_bytes())
    proposal = propose_new(section, author, uploads=[upload], kind="standard")
    assert proposal.attachments.count() == 1
    proposal_accept(proposal=proposal, by=editor)
    proposal.refresh_from_db()
    article = proposal.created_article
    assert article.section == section and article.status == Article.Status.PUBLISHED
    assert article.owner == editor and article.kind == "standard"
    assert article.review_due == add_months(timezone.localdate(), 12)
    assert article.credits[0]["name"] == "Анна Петрова"
    assert article.history.first().history_user == editor
    attachment = article.attachments.get()
    assert attachment.original_name == "приказ.pdf" and attachment.size > 0


def test_a_refused_file_leaves_nothing_behind(author, settings):
    section = make_section()
    good = SimpleUploadedFile("памятка.txt", "Текст".encode())
    bad = SimpleUploadedFile("вирус.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ProposalRefused, match=r"вирус\.pdf"):
        propose_new(section, author, uploads=[good, bad])
    assert not Proposal.objects.exists()
    assert not ProposalAttachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(path.is_file() for path in media.rglob("*")) if media.exists() else True


def test_new_material_needs_a_kind(author):
    with pytest.raises(ProposalRefused, match="вид материала"):
        propose_new(make_section(), author, kind="nonsense")
