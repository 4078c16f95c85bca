"""What staff see on the article, section, tag and home pages."""

import re
from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation

from articles.models import Article
from articles.services import VIEW_FLUSH_EVERY
from people.models import Profile
from tests.factories import (
    ROLE_USERS,
    docx_bytes,
    make_article,
    make_attachment,
    make_position,
    make_section,
    make_user,
    pdf_bytes,
)

SAMARA = ZoneInfo("Europe/Samara")


@pytest.fixture
def article(editor):
    Profile.objects.create(user=editor, position=make_position("ведущий редактор"))
    section = make_section("Кодекс клиентоцентричности", slug="kodeks")
    article = make_article(
        section,
        title="Правила общения с клиентом",
        slug="pravila",
        kind=Article.Kind.STANDARD,
        summary="Как говорить с клиентом просто и вежливо.",
        body="<h2>Приветствие</h2><p>Специалист здоровается первым.</p>",
        owner=editor,
        lifecycle=Article.Lifecycle.DYNAMIC,
    )
    article.tags.add("вежливость", "скрипты")
    make_attachment(article, name="памятка.txt", title="Памятка специалисту")
    make_attachment(article, name="приказ.pdf", content=pdf_bytes())
    Article.all_objects.filter(pk=article.pk).update(
        published_at=datetime(2026, 3, 2, 10, 0, tzinfo=SAMARA),
        updated_at=datetime(2026, 3, 12, 23, 30, tzinfo=SAMARA),
        review_due=date(2099, 9, 1),
    )
    article.refresh_from_db()
    return article


def _page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_article_page_shows_kind_summary_body_and_tags(staff_client, article):
    page = _page(staff_client, article)
    assert '<p class="kind">стандарт / инструкция / скрипт</p>' in page
    assert "Как говорить с клиентом просто и вежливо." in page
    assert "<h2>Приветствие</h2><p>Специалист здоровается первым.</p>" in page
    assert f'href="/tags/{quote("вежливость")}/">#вежливость</a>' in page
    assert "#скрипты" in page
    assert "<dt>содержание</dt><dd>часто меняется</dd>" in page


def test_article_page_lists_attachments_with_type_and_size(staff_client, article):
    page = _page(staff_client, article)
    text_file, pdf_file = article.attachments.order_by("id")
    assert f'href="/attachments/{text_file.pk}/"' in page
    assert "Памятка специалисту</a>" in page
    assert f"Текст, {text_file.size}\xa0байт" in page
    assert "приказ.pdf</a>" in page  # no title given: the file name is shown
    with translation.override("ru"):
        assert f"PDF, {filesizeformat(pdf_file.size)}" in page


def test_article_page_shows_owner_and_russian_dates(staff_client, article):
    page = _page(staff_client, article)
    assert "Елена Орлова, ведущий редактор" in page
    assert "<dt>опубликовано</dt>" in page
    assert ">2 марта 2026</time>" in page
    assert "<dt>обновлено</dt>" in page
    assert ">12 марта 2026</time>" in page
    assert "<dt>следующая актуализация</dt>" in page
    assert ">1 сентября 2099</time>" in page


def test_machine_readable_dates_are_valid_html_without_microseconds(staff_client, article):
    # Microseconds (what |date:"c" gives for a real timestamp) are not a valid
    # datetime attribute: HTML allows at most three digits of a second.
    Article.all_objects.filter(pk=article.pk).update(
        updated_at=datetime(2026, 3, 12, 23, 30, 15, 123456, tzinfo=SAMARA),
        mandatory=True,
    )
    pages = [
        _page(staff_client, article),
        staff_client.get(article.section.get_absolute_url()).content.decode(),
        staff_client.get("/mandatory/").content.decode(),
    ]
    for page in pages:
        assert '<time datetime="2026-03-12T23:30:15+04:00">' in page
        assert ".123456" not in page
    assert '<time datetime="2026-03-02T10:00:00+04:00">' in pages[0]
    # History rows carry the real moment of the save, microseconds included.
    history = staff_client.get(f"/articles/{article.pk}/history/").content.decode()
    stamps = re.findall(r'<time datetime="([^"]+)">', history)
    assert stamps
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", s) for s in stamps)


def test_lifecycle_reads_as_plain_words(staff_client, article):
    Article.all_objects.filter(pk=article.pk).update(lifecycle=Article.Lifecycle.EVERGREEN)
    page = _page(staff_client, article)
    assert "<dt>содержание</dt><dd>долго не устаревает</dd>" in page
    assert "вечнозел" not in page


def test_dates_are_shown_in_the_portal_time_zone(staff_client, article):
    # 01:30 on 13 March in Samara is still 12 March in UTC.
    Article.all_objects.filter(pk=article.pk).update(
        updated_at=datetime(2026, 3, 13, 1, 30, tzinfo=SAMARA)
    )
    assert ">13 марта 2026</time>" in _page(staff_client, article)


def test_card_shows_updated_date_in_russian(staff_client, article):
    page = staff_client.get(article.section.get_absolute_url()).content.decode()
    assert "обновлено 12 марта 2026</time>" in page


def test_overdue_review_shows_badge(staff_client, article):
    Article.all_objects.filter(pk=article.pk).update(review_due=date(2024, 1, 1))
    assert "требует актуализации" in _page(staff_client, article)
    section_page = staff_client.get(article.section.get_absolute_url()).content.decode()
    assert "требует актуализации" in section_page


def test_future_review_shows_no_badge(staff_client, article):
    assert "требует актуализации" not in _page(staff_client, article)


def test_mandatory_article_shows_badge_and_acknowledge_button(staff_client, article):
    assert "обязательно для ознакомления" not in _page(staff_client, article)
    Article.all_objects.filter(pk=article.pk).update(mandatory=True)
    page = _page(staff_client, article)
    assert "обязательно для ознакомления" in page
    assert f'action="/articles/{article.pk}/acknowledge/"' in page


def test_approved_article_shows_date_and_number(staff_client, article):
    assert "<dt>утверждено</dt>" not in _page(staff_client, article)
    Article.all_objects.filter(pk=article.pk).update(
        approved_on=date(2026, 2, 5), approval_number="приказ № 45-п"
    )
    page = _page(staff_client, article)
    assert "<dt>утверждено</dt><dd>5 февраля 2026 приказ № 45-п</dd>" in page


def test_related_articles_show_in_both_directions(staff_client, article):
    other = make_article(make_section(slug="kejsy"), title="Кейс: трудный разговор", slug="kejs")
    article.related.add(other)
    assert 'href="/kb/kejsy/kejs/">Кейс: трудный разговор</a>' in _page(staff_client, article)
    assert 'href="/kb/kodeks/pravila/">Правила общения с клиентом</a>' in _page(staff_client, other)


def test_related_draft_is_not_shown_to_staff(staff_client, article):
    draft = make_article(title="Черновой кейс", status=Article.Status.DRAFT)
    article.related.add(draft)
    assert "Черновой кейс" not in _page(staff_client, article)


def test_article_views_are_counted(staff_client, article):
    # Views are summed in the cache and written in batches.
    for _ in range(VIEW_FLUSH_EVERY - 1):
        _page(staff_client, article)
    assert Article.objects.get(pk=article.pk).view_count == 0
    _page(staff_client, article)
    assert Article.objects.get(pk=article.pk).view_count == VIEW_FLUSH_EVERY


def test_draft_views_are_not_counted(editor_client, article):
    Article.all_objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    for _ in range(VIEW_FLUSH_EVERY):
        _page(editor_client, article)
    assert Article.objects.get(pk=article.pk).view_count == 0


# --- Mandatory documents on the home page --------------------------------------------------


def test_acknowledging_removes_mandatory_document_from_home(client_for, staff, article):
    Article.all_objects.filter(pk=article.pk).update(mandatory=True)
    client = client_for(staff)
    home = client.get("/")
    assert [a.pk for a in home.context["mandatory"]] == [article.pk]
    assert 'id="mandatory-title"' in home.content.decode()

    response = client.post(f"/articles/{article.pk}/acknowledge/")
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()

    home = client.get("/")
    assert home.context["mandatory"] == []
    assert 'id="mandatory-title"' not in home.content.decode()
    assert "Вы отметили, что ознакомились" in _page(client, article)


def test_acknowledgement_is_per_person(client_for, staff, article):
    Article.all_objects.filter(pk=article.pk).update(mandatory=True)
    client_for(staff).post(f"/articles/{article.pk}/acknowledge/")
    colleague = client_for(make_user(role=ROLE_USERS["staff"]))
    assert [a.pk for a in colleague.get("/").context["mandatory"]] == [article.pk]


def test_acknowledging_twice_keeps_one_mark(staff_client, staff, article):
    Article.all_objects.filter(pk=article.pk).update(mandatory=True)
    staff_client.post(f"/articles/{article.pk}/acknowledge/")
    staff_client.post(f"/articles/{article.pk}/acknowledge/")
    assert article.acknowledgements.filter(user=staff).count() == 1


def test_acknowledging_a_non_mandatory_article_is_404(staff_client, article):
    assert staff_client.post(f"/articles/{article.pk}/acknowledge/").status_code == 404
    assert not article.acknowledgements.exists()


# --- Section and tag pages -----------------------------------------------------------------


@pytest.fixture
def mixed_section(db):
    section = make_section("Кейсы и инструкции", slug="smes")
    case = make_article(section, title="Кейс один", kind=Article.Kind.CASE)
    case.tags.add("молодёжь")
    make_article(section, title="Кейс два", kind=Article.Kind.CASE)
    instruction = make_article(section, title="Инструкция", kind=Article.Kind.STANDARD)
    instruction.tags.add("молодёжь")
    child = make_section("Подраздел", parent=section, slug="pod")
    make_article(child, title="Кейс в подразделе", kind=Article.Kind.CASE)
    return section


def _titles(response):
    return sorted(article.title for article in response.context["page"])


def test_section_page_lists_its_articles(staff_client, mixed_section):
    response = staff_client.get("/kb/smes/")
    assert _titles(response) == ["Инструкция", "Кейс два", "Кейс один"]
    assert "Подраздел" in response.content.decode()


def test_section_page_filters_by_kind(staff_client, mixed_section):
    assert _titles(staff_client.get("/kb/smes/?kind=case")) == ["Кейс два", "Кейс один"]


def test_section_page_filters_by_tag(staff_client, mixed_section):
    response = staff_client.get(f"/kb/smes/?tag={quote('молодёжь')}")
    assert _titles(response) == ["Инструкция", "Кейс один"]


def test_section_page_filters_by_kind_and_tag(staff_client, mixed_section):
    response = staff_client.get(f"/kb/smes/?kind=case&tag={quote('молодёжь')}")
    assert _titles(response) == ["Кейс один"]


def test_section_page_can_include_subsections(staff_client, mixed_section):
    response = staff_client.get("/kb/smes/?kind=case&all=1")
    assert _titles(response) == ["Кейс в подразделе", "Кейс два", "Кейс один"]


def test_section_page_ignores_unknown_kind(staff_client, mixed_section):
    assert len(_titles(staff_client.get("/kb/smes/?kind=nonsense"))) == 3


def test_tag_page_lists_tagged_articles(staff_client, mixed_section):
    response = staff_client.get(f"/tags/{quote('молодёжь')}/")
    assert response.status_code == 200
    assert _titles(response) == ["Инструкция", "Кейс один"]
    assert _titles(staff_client.get(f"/tags/{quote('молодёжь')}/?kind=case")) == ["Кейс один"]


def test_unknown_tag_is_404(staff_client, db):
    assert staff_client.get("/tags/nikakoj/").status_code == 404


# --- Attachments -----------------------------------------------------------------------------


def test_text_attachment_is_served_inline_with_cyrillic_name(staff_client, article):
    attachment = article.attachments.get(original_name="памятка.txt")
    response = staff_client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote('памятка.txt')}"
    assert b"".join(response.streaming_content) == "Текст памятки".encode()
    assert response["Cache-Control"] == "private, max-age=3600"


def test_pdf_attachment_is_served_as_pdf(staff_client, article):
    attachment = article.attachments.get(original_name="приказ.pdf")
    response = staff_client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote('приказ.pdf')}"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_office_attachment_is_downloaded(staff_client, article):
    attachment = make_attachment(article, name="Отчёт 2026.docx", content=docx_bytes())
    response = staff_client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('Отчёт 2026.docx')}"
    )


def test_attachment_file_is_not_under_a_public_url(staff_client, article, settings):
    attachment = article.attachments.first()
    assert staff_client.get(f"/media/{attachment.file.name}").status_code == 404
    assert staff_client.get(f"{settings.MEDIA_URL}{attachment.file.name}").status_code == 404


def test_missing_attachment_file_is_404(staff_client, article):
    attachment = article.attachments.first()
    attachment.file.storage.delete(attachment.file.name)
    assert staff_client.get(attachment.get_absolute_url()).status_code == 404


# --- Errors ----------------------------------------------------------------------------------


def test_404_page_is_russian(staff_client, db):
    response = staff_client.get("/kb/net-takogo/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Страница не найдена</h1>" in page
    assert "Возможно, материал удалён или адрес набран с ошибкой" in page
    assert '<html lang="ru">' in page


def test_404_for_unknown_url_is_russian(staff_client, db):
    response = staff_client.get("/net-takogo-adresa/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.parametrize(
    ("count", "label"),
    [(1, "1 материал"), (3, "3 материала"), (5, "5 материалов"), (21, "21 материал")],
)
def test_subsection_counts_use_russian_plurals_and_include_deeper_levels(
    staff_client, count, label
):
    root = make_section("Корень", slug="koren")
    child = make_section("Подраздел", parent=root, slug="podrazdel")
    grandchild = make_section("Глубже", parent=child, slug="glubzhe")
    for i in range(count):
        make_article(child if i % 2 else grandchild, title=f"Материал {i}")
    page = staff_client.get("/kb/koren/").content.decode()
    assert f'<span class="count">{label}</span>' in page


def test_mandatory_page_shows_what_this_person_has_read(client_for, staff, article):
    Article.all_objects.filter(pk=article.pk).update(mandatory=True)
    other = make_article(title="Декларация", mandatory=True)
    client = client_for(staff)
    client.post(f"/articles/{article.pk}/acknowledge/")
    page = client.get("/mandatory/").content.decode()
    with translation.override("ru"):
        today = date_filter(timezone.localtime(), "j E Y")
    assert f"прочитано {today}" in page  # the read one, with the day it was read
    assert "<strong>ожидает</strong>" in page  # the other one
    unread = client.get("/mandatory/?unread=1")
    assert [row.article.pk for row in unread.context["rows"]] == [other.pk]
