"""The images of an article make a gallery on its page: a grid of thumbnails,
each a plain link to its image (no script needed), named by the attachment's
title; static/js/gallery.js opens them large and pages through them."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.services import attachment_add
from tests.articles import files
from tests.factories import make_article, make_attachment, png_bytes
from tests.html import active_content
from tests.test_query_counts import ARTICLE

STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.fixture
def report(db):
    article = make_article(title="Фотоотчёт: флешмоб «Уютный ЦЗН»")
    photos = [
        make_attachment(article, name="вход.png", content=png_bytes(), title="Навес у входа"),
        make_attachment(article, name="уголок.png", content=png_bytes(), title="Детский уголок"),
        make_attachment(article, name="IMG_0042.png", content=png_bytes()),
    ]
    return article, photos


def _gallery(page):
    start = page.index('<section class="gallery"')
    return page[start : page.index("</section>", start) + len("</section>")]


def test_images_make_a_gallery_of_links_to_each_image(staff_client, report):
    article, photos = report
    page = staff_client.get(article.get_absolute_url()).content.decode()
    gallery = _gallery(page)
    assert '<h2 id="gallery-title">Изображения <span class="muted">(3)</span></h2>' in gallery
    links = re.findall(r'<a class="gallery__link" href="([^"]+)" data-gallery-item>', gallery)
    # Without script a thumbnail simply opens its image.
    assert links == [photo.get_absolute_url() for photo in photos]
    for photo in photos:
        assert f'<img src="{photo.get_absolute_url()}" alt="{photo.display_title}"' in gallery
    assert 'loading="lazy"' in gallery


def test_thumbnails_are_named_by_the_attachment_title_or_its_file_name(staff_client, report):
    article, _photos = report
    gallery = _gallery(staff_client.get(article.get_absolute_url()).content.decode())
    assert re.findall(r'alt="([^"]*)"', gallery) == [
        "Навес у входа",
        "Детский уголок",
        "IMG_0042.png",
    ]
    # The visible caption repeats the name, so it is hidden from screen readers.
    assert '<span class="gallery__caption" aria-hidden="true">Навес у входа</span>' in gallery


def test_the_gallery_carries_its_russian_labels_for_the_script(staff_client, report):
    article, _photos = report
    page = staff_client.get(article.get_absolute_url()).content.decode()
    gallery = _gallery(page)
    for label in [
        'data-label-close="Закрыть"',
        'data-label-prev="Предыдущее"',
        'data-label-next="Следующее"',
        'data-label-position="Изображение {n} из {total}"',
    ]:
        assert label in gallery
    assert '<script src="/static/js/gallery.js" defer></script>' in page
    assert "media.css" in page


def test_images_are_not_listed_again_with_the_other_attachments(staff_client, report):
    article, _photos = report
    make_attachment(article, name="памятка.txt")
    response = staff_client.get(article.get_absolute_url())
    assert [file.original_name for file in response.context["attachments"]] == ["памятка.txt"]
    assert len(response.context["images"]) == 3


def test_article_without_images_has_no_gallery_and_no_script(staff_client, db):
    article = make_article()
    make_attachment(article, name="памятка.txt")
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert 'class="gallery"' not in page
    assert "gallery.js" not in page


def test_one_image_gets_no_paging_hint(staff_client, db):
    article = make_article()
    make_attachment(article, name="схема.png", content=png_bytes(), title="Схема зала")
    gallery = _gallery(staff_client.get(article.get_absolute_url()).content.decode())
    assert "стрелки влево и вправо" not in gallery
    assert "(1)" in gallery


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ('"><script>alert(1)</script>.png', ""),
        ("фото.png", '" onerror="alert(1)'),
        ("фото.png", "<img src=x onerror=alert(2)>"),
        ("javascript:alert(3).png", ""),
    ],
)
def test_titles_and_file_names_cannot_run_script_in_the_gallery(staff_client, db, name, title):
    article = make_article()
    attachment_add(article=article, upload=SimpleUploadedFile(name, png_bytes()), title=title)
    gallery = _gallery(staff_client.get(article.get_absolute_url()).content.decode())
    assert active_content(gallery) == []
    assert "<script>" not in gallery


def test_the_gallery_script_is_a_file_and_uses_no_other_library():
    script = (STATIC / "js" / "gallery.js").read_text()
    # Keyboard: arrows, Home, End; Esc closes the native modal dialog.
    for key in ["ArrowLeft", "ArrowRight", "Home", "End"]:
        assert key in script
    assert "showModal" in script
    assert ".focus()" in script  # the focus goes back to the thumbnail
    assert "import " not in script and "require(" not in script
    assert "http" not in script  # nothing from outside the portal


@pytest.mark.parametrize("count", [3, 30])
def test_gallery_and_slides_cost_no_query_of_their_own(
    staff_client, db, count, django_assert_num_queries
):
    article = make_article()
    for n in range(count):
        make_attachment(article, name=f"фото-{n}.png", content=png_bytes())
    make_attachment(article, name="слайды.pptx", content=files.pptx(["Один"], ["Два"]))
    url = article.get_absolute_url()
    staff_client.get(url)  # the first view of the day writes its row; the tree is cached
    with django_assert_num_queries(ARTICLE):
        response = staff_client.get(url)
    assert len(response.context["images"]) == count
