from io import StringIO

from django.core.management import call_command

from articles.services import article_trash
from search.models import SearchDocument, SearchTerm
from tests.factories import make_article, make_attachment
from tests.search.factories import titles


def test_rebuild_indexes_every_live_article_with_a_progress_bar(staff_client, section):
    for n in range(3):
        make_article(section, title=f"Справка о доходах {n}", slug=f"spravka-{n}")
    make_attachment(make_article(section, title="С файлом"), content="карьерный навигатор".encode())
    article_trash(article=make_article(section, title="Справка удалённая"))
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    output = out.getvalue()
    assert "[" in output and "4/4" in output
    assert "Проиндексировано материалов: 4" in output
    assert len(titles(staff_client.get("/search/", {"q": "справки"}))) == 3
    assert titles(staff_client.get("/search/", {"q": "навигатору"})) == ["С файлом"]
    # The vocabulary is rebuilt with exact document counts.
    assert SearchTerm.objects.get(word="справка").frequency == 3
    response = staff_client.get("/search/", {"q": "справкка"})
    assert response.context["found"].suggestion == "справка"
