from articles.models import Article
from tests.factories import make_article, make_attachment, make_section


def test_pages_render_for_staff(staff_client):
    root = make_section("Управление клиентским опытом", slug="cx")
    child = make_section("Кодекс клиентоцентричности", parent=root, slug="code")
    article = make_article(
        child, title="Кодекс", slug="kodeks", mandatory=True, body="<p>Текст</p>"
    )
    article.tags.add("клиентоцентричность")
    make_attachment(article)
    for url in [
        "/",
        "/kb/",
        "/kb/cx/",
        "/kb/code/kodeks/",
        "/tags/",
        "/search/?q=Кодекс",
        "/tags/клиентоцентричность/",
        f"/articles/{article.pk}/history/",
    ]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
    assert Article.objects.count() == 1
