"""Article and section addresses stay valid after renames and moves."""

from articles.models import Article
from articles.services import article_trash
from tests.factories import make_article, make_section
from tests.html import form_data


def _assert_moved(client, old_url, new_url):
    response = client.get(old_url)
    assert response.status_code == 301, old_url
    assert response["Location"] == new_url
    assert client.get(new_url).status_code == 200


def test_renamed_article_slug_redirects_permanently(staff_client):
    section = make_section(slug="kodeks")
    article = make_article(section, slug="staryj-adres")
    article.slug = "novyj-adres"
    article.save()
    _assert_moved(staff_client, "/kb/kodeks/staryj-adres/", "/kb/kodeks/novyj-adres/")


def test_article_renamed_twice_redirects_from_the_first_slug_to_the_current(staff_client):
    section = make_section(slug="kodeks")
    article = make_article(section, slug="pervyj")
    for slug in ["vtoroj", "tretij"]:
        article.slug = slug
        article.save()
    _assert_moved(staff_client, "/kb/kodeks/pervyj/", "/kb/kodeks/tretij/")
    _assert_moved(staff_client, "/kb/kodeks/vtoroj/", "/kb/kodeks/tretij/")


def test_article_moved_to_another_section_redirects_from_the_old_section(staff_client):
    old = make_section(slug="staryj-razdel")
    new = make_section(slug="novyj-razdel")
    article = make_article(old, slug="pamyatka")
    article.section = new
    article.save()
    _assert_moved(staff_client, "/kb/staryj-razdel/pamyatka/", "/kb/novyj-razdel/pamyatka/")


def test_article_moved_and_renamed_redirects_from_the_original_url(staff_client):
    old = make_section(slug="staryj-razdel")
    new = make_section(slug="novyj-razdel")
    article = make_article(old, slug="pamyatka")
    article.section = new
    article.slug = "pamyatka-2026"
    article.save()
    _assert_moved(staff_client, "/kb/staryj-razdel/pamyatka/", "/kb/novyj-razdel/pamyatka-2026/")


def test_article_url_with_any_wrong_section_redirects(staff_client):
    make_section(slug="drugoj")
    article = make_article(make_section(slug="nastoyashchij"), slug="pamyatka")
    _assert_moved(staff_client, "/kb/drugoj/pamyatka/", article.get_absolute_url())


def test_renamed_section_slug_redirects_permanently(staff_client):
    section = make_section(slug="staryj-razdel")
    section.slug = "novyj-razdel"
    section.save()
    _assert_moved(staff_client, "/kb/staryj-razdel/", "/kb/novyj-razdel/")


def test_articles_of_a_renamed_section_keep_their_old_urls(staff_client):
    section = make_section(slug="staryj-razdel")
    make_article(section, slug="pamyatka")
    section.slug = "novyj-razdel"
    section.save()
    _assert_moved(staff_client, "/kb/staryj-razdel/pamyatka/", "/kb/novyj-razdel/pamyatka/")


def test_renamed_slug_through_admin_redirects(client_for, editor, staff):
    editor_client, staff_client = client_for(editor), client_for(staff)
    article = make_article(make_section(slug="kodeks"), slug="staryj-adres")
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(editor_client.get(url), "article_form")
    data["slug"] = ["novyj-adres"]
    assert editor_client.post(url, data).status_code == 302
    _assert_moved(staff_client, "/kb/kodeks/staryj-adres/", "/kb/kodeks/novyj-adres/")


def test_never_existing_article_slug_is_404(staff_client):
    section = make_section(slug="kodeks")
    make_article(section, slug="est")
    assert staff_client.get("/kb/kodeks/nikogda-ne-bylo/").status_code == 404


def test_never_existing_section_slug_is_404(staff_client, db):
    assert staff_client.get("/kb/nikogda-ne-bylo/").status_code == 404


def test_old_slug_of_a_draft_is_404_for_staff(staff_client):
    article = make_article(make_section(slug="kodeks"), slug="staryj-adres")
    article.slug = "novyj-adres"
    article.status = Article.Status.DRAFT
    article.save()
    assert staff_client.get("/kb/kodeks/staryj-adres/").status_code == 404


def test_old_slug_of_a_trashed_article_is_404(staff_client):
    article = make_article(make_section(slug="kodeks"), slug="staryj-adres")
    article.slug = "novyj-adres"
    article.save()
    article_trash(article=article)
    assert staff_client.get("/kb/kodeks/staryj-adres/").status_code == 404
    assert staff_client.get("/kb/kodeks/novyj-adres/").status_code == 404


def test_slug_reused_by_another_article_opens_that_article(staff_client):
    section = make_section(slug="kodeks")
    first = make_article(section, slug="pamyatka", title="Первая")
    first.slug = "pamyatka-staraya"
    first.save()
    make_article(section, slug="pamyatka", title="Вторая")
    response = staff_client.get("/kb/kodeks/pamyatka/")
    assert response.status_code == 200
    assert response.context["article"].title == "Вторая"


def test_get_absolute_url_follows_the_current_section_and_slug(db):
    article = make_article(make_section(slug="a"), slug="b")
    assert article.get_absolute_url() == "/kb/a/b/"
    assert article.section.get_absolute_url() == "/kb/a/"
