"""«Печать» on every article: a plain link to the print version (?print=1),
which script turns into the browser's print dialog; the printout carries the
dates, the owner and the page's full address (templates/includes/print_meta.html)."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ROLE_USERS, make_article, make_section, make_user
from tests.test_query_counts import ARTICLE


@pytest.fixture
def article(db):
    owner = make_user("orlova", first_name="Елена", last_name="Орлова")
    article = make_article(
        make_section("Стандарты", slug="standarty"),
        slug="vstrecha-klienta",
        title="Стандарт встречи клиента",
        owner=owner,
        review_due=datetime.date(2027, 3, 12),
    )
    Article.all_objects.filter(pk=article.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2026, 1, 20, 10, 0)),
        updated_at=timezone.make_aware(datetime.datetime(2026, 2, 5, 10, 0)),
    )
    article.refresh_from_db()
    return article


def _print_meta(page):
    start = page.index('<footer class="print-meta print-only"')
    return page[start : page.index("</footer>", start)]


def test_every_article_has_a_print_link_that_works_without_script(staff_client, article):
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert (
        '<p class="article__print"><a class="button button--secondary" '
        'href="/kb/standarty/vstrecha-klienta/?print=1">Печать</a></p>'
    ) in page
    assert page.index('<div class="article__actions no-print">') < page.index(">Печать</a>")
    # Ctrl+P on the page itself prints the same way; the page carries no script.
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page
    assert "<script" not in page


def test_printout_carries_dates_owner_and_the_portal_address(staff_client, article, settings):
    settings.PORTAL_URL = "https://kb.szn.local/"
    meta = _print_meta(staff_client.get(article.get_absolute_url()).content.decode())
    assert '<p class="print-meta__title">Стандарт встречи клиента</p>' in meta
    assert "<dd>https://kb.szn.local/kb/standarty/vstrecha-klienta/</dd>" in meta
    assert "<dt>Опубликовано:</dt><dd>20 января 2026</dd>" in meta
    assert "<dt>Обновлено:</dt><dd>5 февраля 2026</dd>" in meta
    assert "<dt>Следующая актуализация:</dt><dd>12 марта 2027</dd>" in meta
    assert "<dt>Ответственный:</dt><dd>Елена Орлова</dd>" in meta
    today = timezone.localdate()
    assert f"<dt>Распечатано:</dt><dd>{today.day} " in meta


def test_without_portal_url_the_address_is_the_one_the_page_was_opened_at(
    staff_client, article, settings
):
    settings.PORTAL_URL = ""
    meta = _print_meta(staff_client.get(article.get_absolute_url()).content.decode())
    assert "<dd>http://testserver/kb/standarty/vstrecha-klienta/</dd>" in meta


def test_printout_of_an_article_without_owner_or_review_date_leaves_them_out(staff_client, db):
    article = make_article(title="Без ответственного")
    meta = _print_meta(staff_client.get(article.get_absolute_url()).content.decode())
    assert "Ответственный" not in meta
    assert "Следующая актуализация" not in meta
    assert "Обновлено:" in meta


def test_print_meta_escapes_the_title(staff_client, db):
    # Markup is stripped from titles when saved; what is left is escaped here.
    article = make_article(title='Сроки < 5 дней & "очередь" <script>alert(1)</script>')
    meta = _print_meta(staff_client.get(article.get_absolute_url()).content.decode())
    assert "Сроки &lt; 5 дней &amp; &quot;очередь&quot;" in meta
    assert "<script>" not in meta


def test_print_version_shows_the_page_as_it_prints(staff_client, article):
    page = staff_client.get(f"{article.get_absolute_url()}?print=1").content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="all">' in page
    assert '<div class="print-bar" role="note" data-print-auto>' in page
    # With script the print dialog opens by itself, and the link opens it again.
    assert '<script src="/static/js/print.js" defer></script>' in page
    assert '?print=1" data-print>отправьте на печать</a>' in page
    assert '<a href="/kb/standarty/vstrecha-klienta/">Вернуться к материалу</a>' in page
    assert ">Печать</a>" not in page  # it is the print version already
    assert '<footer class="print-meta print-only"' in page


def test_the_rest_of_the_page_is_marked_not_to_print(staff_client, article):
    page = staff_client.get(article.get_absolute_url()).content.decode()
    # Helpfulness, questions and the follow button stay on screen.
    assert page.index('<div class="article__actions no-print">') < page.index('class="follow"')
    assert page.index('<div class="no-print">') < page.index('id="helpfulness"')
    assert page.index('<div class="no-print">') < page.index('id="questions"')
    assert '<p class="muted no-print"><a href="/articles/' in page


def test_print_stylesheet_hides_menus_forms_and_sidebars():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "print.css").read_text()
    for selector in [".main-nav", ".sidebar", ".search-box", ".no-print", ".article form"]:
        assert selector in css
    assert ".print-only { display: block; }" in css


def test_print_version_of_someone_elses_draft_is_not_found(staff_client, db):
    draft = make_article(status=Article.Status.DRAFT)
    assert staff_client.get(f"{draft.get_absolute_url()}?print=1").status_code == 404


@pytest.mark.parametrize("role", ["staff", "editor", "working_group", "manager", "administrator"])
def test_every_role_gets_the_print_version(client_for, article, role):
    client = client_for(make_user(role=ROLE_USERS[role]))
    response = client.get(f"{article.get_absolute_url()}?print=1")
    assert response.status_code == 200
    assert response.context["print_view"] is True


def test_anonymous_is_sent_to_login(client, article):
    response = client.get(f"{article.get_absolute_url()}?print=1")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_print_version_query_count_is_the_article_pages(
    staff_client, article, django_assert_num_queries
):
    url = f"{article.get_absolute_url()}?print=1"
    staff_client.get(url)  # the first view of the day writes its row; the tree is cached
    with django_assert_num_queries(ARTICLE):
        assert staff_client.get(url).status_code == 200
