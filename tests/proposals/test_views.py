"""The proposal pages: who may open them, what they do, bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Article
from articles.services import article_trash, section_trash
from proposals.models import Proposal, ProposalAttachment
from proposals.services import proposal_accept, proposal_return
from tests.factories import ROLE_USERS, make_article, make_section, make_user
from tests.proposals.helpers import propose_edit, propose_new

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def article(editor):
    return make_article(
        title="Сроки выплат",
        summary="О сроках.",
        body="<p>Пособие платят раз в месяц.</p>",
        owner=editor,
    )


def _form(article, **values):
    data = {
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "rationale": "Срок изменился.",
    }
    data.update(values)
    return data


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# --- «Предложить правку» ---------------------------------------------------------------


def test_article_page_links_to_propose_and_shows_credits(staff_client, article, staff, editor):
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert f'href="/proposals/articles/{article.pk}/new/"' in page
    assert "Предложил(а)" not in page
    proposal = propose_edit(article, staff, title="Сроки выплат пособия")
    proposal_accept(proposal=proposal, by=editor)
    article.refresh_from_db()
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "предложил(а)</dt><dd>Анна Петрова</dd>" in page


def test_the_form_is_prefilled_with_the_editor_widget(staff_client, article):
    response = staff_client.get(f"/proposals/articles/{article.pk}/new/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Сроки выплат"' in page
    assert "&lt;p&gt;Пособие платят раз в месяц.&lt;/p&gt;</textarea>" in page
    assert "data-django-prose-editor-configurable" in page
    assert "data-kb-editor-labels" in page and "Полужирный" in page
    assert "js/prose-editor-ru.js" in page


def test_submitting_without_js_sanitises_and_shows_the_proposal(staff_client, article, staff):
    response = staff_client.post(
        f"/proposals/articles/{article.pk}/new/",
        _form(
            article,
            title=f"Сроки {SCRIPT}",
            summary=f"Кратко {SCRIPT}",
            body=f"<p>Раз в две недели</p>{SCRIPT}<p onmouseover='x()'>ещё</p>",
            rationale=f"Причина {SCRIPT}",
        ),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/proposals/{proposal.pk}/"
    assert proposal.author == staff and proposal.base_version == article.version
    assert "script" not in proposal.body and "onmouseover" not in proposal.body
    page = staff_client.get(proposal.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "Причина &lt;script&gt;" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"title": ""}, "Укажите заголовок."),
        ({"title": "<b></b>"}, "одной разметки мало"),
        ({"title": "я" * 201}, "Не больше 200 символов (сейчас 201)."),
        ({"summary": "я" * 501}, "Не больше 500 символов"),
        ({"rationale": ""}, "Напишите, что и почему изменено."),
        ({"rationale": "   "}, "Напишите, что и почему изменено."),
        ({"rationale": "я" * 1001}, "Не больше 1000 символов"),
        ({"body": "я" * 200_001}, "Не больше 200000 символов"),
    ],
)
def test_bad_input_is_refused_with_a_russian_message(staff_client, article, values, message):
    response = staff_client.post(f"/proposals/articles/{article.pk}/new/", _form(article, **values))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_rate_limit_message(staff_client, article, staff, settings):
    settings.PROPOSALS_PER_HOUR = 1
    propose_edit(article, staff)
    response = staff_client.post(f"/proposals/articles/{article.pk}/new/", _form(article))
    assert "За час можно отправить не больше 1 предложения" in response.content.decode()
    assert Proposal.objects.count() == 1


def test_staff_gets_404_for_a_draft_and_a_trashed_article(staff_client):
    draft = make_article(status=Article.Status.DRAFT)
    assert staff_client.get(f"/proposals/articles/{draft.pk}/new/").status_code == 404
    trashed = make_article()
    article_trash(article=trashed)
    assert staff_client.post(f"/proposals/articles/{trashed.pk}/new/", {}).status_code == 404
    assert not Proposal.objects.exists()


def test_an_archived_article_is_refused_with_a_message(staff_client):
    archived = make_article(status=Article.Status.ARCHIVED)
    response = staff_client.post(
        f"/proposals/articles/{archived.pk}/new/", _form(archived), follow=True
    )
    assert "только к опубликованному материалу" in response.content.decode()
    assert not Proposal.objects.exists()


def test_an_editor_cannot_propose_on_a_draft_either(editor_client):
    draft = make_article(status=Article.Status.DRAFT)
    response = editor_client.get(f"/proposals/articles/{draft.pk}/new/", follow=True)
    assert "только к опубликованному материалу" in response.content.decode()


# --- «Предложить материал» --------------------------------------------------------------


def _new(**values):
    data = {
        "title": "Памятка",
        "kind": "document",
        "summary": "",
        "body": "<p>Текст</p>",
        "rationale": "Нужна.",
    }
    data.update(values)
    return data


def test_section_page_links_to_propose_material(staff_client):
    section = make_section()
    page = staff_client.get(section.get_absolute_url()).content.decode()
    assert f'href="/proposals/sections/{section.pk}/new/"' in page


def test_new_material_with_files(staff_client):
    section = make_section()
    files = [
        SimpleUploadedFile("памятка.txt", "Текст".encode()),
        SimpleUploadedFile("<img src=x onerror=alert(1)>.txt", "Ещё".encode()),
    ]
    response = staff_client.post(f"/proposals/sections/{section.pk}/new/", _new(files=files))
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.section == section and proposal.kind == "document"
    assert proposal.attachments.count() == 2
    page = staff_client.get(proposal.get_absolute_url()).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page
    attachment = proposal.attachments.first()
    download = staff_client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "Текст".encode()


def test_a_bad_file_refuses_the_form_and_stores_nothing(staff_client, settings):
    section = make_section()
    files = [
        SimpleUploadedFile("памятка.txt", "Текст".encode()),
        SimpleUploadedFile("программа.exe", b"MZ\x90\x00"),
    ]
    response = staff_client.post(f"/proposals/sections/{section.pk}/new/", _new(files=files))
    assert response.status_code == 200
    assert "Файлы .exe прикреплять нельзя" in response.content.decode()
    assert not Proposal.objects.exists() and not ProposalAttachment.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_an_oversized_file_is_refused(staff_client, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    section = make_section()
    files = [SimpleUploadedFile("памятка.txt", "Длинный текст памятки".encode())]
    response = staff_client.post(f"/proposals/sections/{section.pk}/new/", _new(files=files))
    assert "Файл слишком большой" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [({"kind": ""}, "Выберите вид материала."), ({"kind": "x"}, "из списка")],
)
def test_new_material_needs_a_kind(staff_client, values, message):
    section = make_section()
    response = staff_client.post(f"/proposals/sections/{section.pk}/new/", _new(**values))
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_no_new_material_in_a_trashed_section(staff_client):
    parent = make_section()
    child = make_section(parent=parent)
    section_trash(section=parent)
    assert staff_client.get(f"/proposals/sections/{child.pk}/new/").status_code == 404
    assert staff_client.post(f"/proposals/sections/{parent.pk}/new/", _new()).status_code == 404


# --- who sees a proposal -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("author", 200), ("other_staff", 404), ("owner", 200), ("editor", 200), ("manager", 404)],
)
def test_a_proposal_is_private(article, staff, editor, who, status):
    owner = make_user(role=ROLE_USERS["staff"])
    article.owner = owner
    article.save()
    proposal = propose_new(make_section(), staff, uploads=[])
    edit = propose_edit(article, staff)
    people = {
        "author": staff,
        "other_staff": make_user(role=ROLE_USERS["staff"]),
        "owner": owner,
        "editor": editor,
        "manager": make_user(role=ROLE_USERS["manager"]),
    }
    client = _client(people[who])
    assert client.get(edit.get_absolute_url()).status_code == status
    if who == "owner":  # owning an article says nothing about new materials
        assert client.get(proposal.get_absolute_url()).status_code == 404
    else:
        assert client.get(proposal.get_absolute_url()).status_code == status


def test_another_staff_member_cannot_act_on_a_proposal(article, staff):
    proposal = propose_edit(article, staff)
    other = _client(make_user(role=ROLE_USERS["staff"]))
    base = proposal.get_absolute_url()
    for action in ("withdraw/", "edit/", "accept/", "return/", "reject/"):
        assert other.post(base + action, {}).status_code == 404, action
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING


def test_the_author_cannot_decide(staff_client, article, staff):
    proposal = propose_edit(article, staff)
    assert staff_client.post(f"{proposal.get_absolute_url()}accept/").status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING


def test_queue_is_for_editors(staff_client):
    assert staff_client.get("/proposals/").status_code == 403


# --- the review ------------------------------------------------------------------------


def test_review_shows_the_word_diff_and_the_actions(editor_client, article, staff):
    proposal = propose_edit(article, staff, body="<p>Пособие платят раз в две недели.</p>")
    page = editor_client.get(proposal.get_absolute_url()).content.decode()
    assert "<del>месяц.</del><ins>две недели.</ins>" in page
    assert f'action="/proposals/{proposal.pk}/accept/"' in page
    assert f'action="/proposals/{proposal.pk}/return/"' in page
    assert f'action="/proposals/{proposal.pk}/reject/"' in page


def test_accept_from_the_page(editor_client, article, staff):
    proposal = propose_edit(article, staff, title="Сроки выплат пособия")
    response = editor_client.post(f"{proposal.get_absolute_url()}accept/")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    article.refresh_from_db()
    assert article.title == "Сроки выплат пособия"
    history = editor_client.get(f"/articles/{article.pk}/history/").content.decode()
    assert f"Принято предложение № {proposal.pk}. Предложил(а): Анна Петрова" in history
    again = editor_client.post(f"{proposal.get_absolute_url()}accept/", follow=True)
    assert "уже рассмотрено" in again.content.decode()


def test_a_stale_proposal_is_refused_and_shows_what_changed(editor_client, article, staff):
    proposal = propose_edit(article, staff, body="<p>Пособие платят раз в две недели.</p>")
    article.summary = "Редактор уточнил сроки."
    article.save()
    response = editor_client.post(f"{proposal.get_absolute_url()}accept/", follow=True)
    page = response.content.decode()
    assert "Материал изменился после того, как сделано предложение" in page
    assert "Что изменилось в материале с тех пор" in page
    assert "<del>О сроках.</del><ins>Редактор уточнил сроки.</ins>" in page
    assert f'action="/proposals/{proposal.pk}/accept/"' not in page
    assert f'action="/proposals/{proposal.pk}/return/"' in page
    article.refresh_from_db()
    assert "две недели" not in article.body


def test_return_needs_a_comment_and_then_goes_to_the_author(editor_client, article, staff):
    proposal = propose_edit(article, staff)
    url = f"{proposal.get_absolute_url()}return/"
    response = editor_client.post(url, {"return-comment": "  "})
    assert response.status_code == 400
    assert "Напишите автору, что доработать." in response.content.decode()
    editor_client.post(url, {"return-comment": f"Уточните {SCRIPT}"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED
    author = _client(staff)
    mine = author.get("/proposals/my/").content.decode()
    assert "нужна доработка" in mine and "Уточните &lt;script&gt;" in mine
    assert f'href="/proposals/{proposal.pk}/edit/"' in mine


def test_reject_needs_a_reason(editor_client, article, staff):
    proposal = propose_edit(article, staff)
    url = f"{proposal.get_absolute_url()}reject/"
    assert editor_client.post(url, {"reject-comment": ""}).status_code == 400
    assert editor_client.post(url, {"reject-comment": "я" * 2001}).status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    editor_client.post(url, {"reject-comment": "Дублирует приказ."})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED


def test_resubmit_from_the_page(article, staff, editor):
    proposal = propose_edit(article, staff)
    author = _client(staff)
    assert author.get(f"{proposal.get_absolute_url()}edit/", follow=True).redirect_chain
    proposal_return(proposal=proposal, by=editor, comment="Доработайте.")
    page = author.get(f"{proposal.get_absolute_url()}edit/").content.decode()
    assert "Доработайте." in page
    response = author.post(
        f"{proposal.get_absolute_url()}edit/", _form(article, body="<p>Новая версия.</p>")
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING and proposal.body == "<p>Новая версия.</p>"


def test_withdraw_from_the_page(article, staff):
    proposal = propose_edit(article, staff)
    author = _client(staff)
    response = author.post(f"{proposal.get_absolute_url()}withdraw/", follow=True)
    assert "Предложение отозвано." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    again = author.post(f"{proposal.get_absolute_url()}withdraw/", follow=True)
    assert "уже рассмотрено" in again.content.decode()


def test_new_material_accepted_from_the_page(editor_client, staff):
    section = make_section()
    proposal = propose_new(section, staff, title="Памятка <i>по</i> пособию")
    response = editor_client.post(f"{proposal.get_absolute_url()}accept/")
    proposal.refresh_from_db()
    created = proposal.created_article
    assert response["Location"] == created.get_absolute_url()
    assert created.title == "Памятка по пособию"
    assert editor_client.get(created.get_absolute_url()).status_code == 200


def test_queue_filters_by_status_and_counts(editor_client, article, staff, editor):
    pending = propose_edit(article, staff, title="Ожидает")
    returned = propose_edit(article, staff, title="Вернули")
    proposal_return(proposal=returned, by=editor, comment="Доработайте.")
    response = editor_client.get("/proposals/")
    assert [p.pk for p in response.context["page"]] == [pending.pk]
    page = response.content.decode()
    assert 'на рассмотрении <span class="desk-count">(1)</span>' in page
    assert 'нужна доработка <span class="desk-count">(1)</span>' in page
    returned_page = editor_client.get("/proposals/?status=returned")
    assert [p.pk for p in returned_page.context["page"]] == [returned.pk]
    everything = editor_client.get("/proposals/?status=all")
    assert len(everything.context["page"]) == 2
    nonsense = editor_client.get(f"/proposals/?status={SCRIPT}")
    assert nonsense.status_code == 200 and "<script>alert" not in nonsense.content.decode()


def test_menu_links(staff, editor):
    staff_page = _client(staff).get("/").content.decode()
    assert 'href="/proposals/my/"' in staff_page and 'href="/proposals/"' not in staff_page
    assert 'href="/proposals/"' in _client(editor).get("/").content.decode()


def test_owner_desk_lists_pending_proposals_on_my_articles(article, staff, editor_client):
    pending = propose_edit(article, staff)
    other = propose_edit(make_article(owner=make_user()), staff)
    page = editor_client.get("/contributions/my/").content.decode()
    assert "Предложения к моим материалам" in page
    assert f'href="/proposals/{pending.pk}/"' in page
    assert f'href="/proposals/{other.pk}/"' not in page


def test_a_returned_new_material_is_reworked_keeping_its_kind(staff, editor):
    proposal = propose_new(make_section(), staff, kind="standard")
    proposal_return(proposal=proposal, by=editor, comment="Добавьте пример.")
    author = _client(staff)
    url = f"{proposal.get_absolute_url()}edit/"
    page = author.get(url).content.decode()
    assert 'name="files"' not in page
    response = author.post(url, _new(kind="faq", body="<p>С примером.</p>"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    assert proposal.kind == "standard" and proposal.body == "<p>С примером.</p>"


def test_a_resubmission_with_errors_is_shown_again(staff, editor, article):
    proposal = propose_edit(article, staff)
    proposal_return(proposal=proposal, by=editor, comment="Доработайте.")
    response = _client(staff).post(
        f"{proposal.get_absolute_url()}edit/", _form(article, rationale="")
    )
    assert response.status_code == 200
    assert "Напишите, что и почему изменено." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RETURNED


@pytest.mark.parametrize("change", ["draft", "trash"])
def test_the_author_never_reads_an_article_that_went_out_of_sight(article, staff, change):
    proposal = propose_edit(article, staff, body="<p>Моя правка.</p>")
    article.body = "<p>Секретный черновик редактора.</p>"
    if change == "draft":
        article.status = Article.Status.DRAFT
        article.save()
    else:
        article.save()
        article_trash(article=article)
    page = _client(staff).get(proposal.get_absolute_url()).content.decode()
    assert "Моя правка." in page
    assert "Секретный черновик" not in page
    assert "сравнения нет" in page
