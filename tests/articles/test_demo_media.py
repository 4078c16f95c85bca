"""The demo's photo report has a gallery of generated pictures and its
presentation a slide preview (fixtures/pictures.py, made at seeding time)."""

import pytest
from django.core.files.base import ContentFile

from articles.models import Attachment
from articles.uploads import inspect_upload
from fixtures import demo_content
from fixtures.pictures import SCENES, presentation_pptx, scene_png
from kb_portal.demo import _seed_attachments
from tests.factories import make_article

ARTICLES = {spec["slug"]: spec for spec in demo_content.ARTICLES}


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_generated_pictures_pass_the_upload_check(scene):
    upload = ContentFile(scene_png(scene), name=f"{scene}.png")
    assert inspect_upload(upload).kind == "image"
    assert upload.size < 20_000  # flat drawings compress well


def test_generated_presentation_passes_the_upload_check():
    upload = ContentFile(presentation_pptx([["Один"], ["Два"]]), name="слайды.pptx")
    assert inspect_upload(upload).kind == "presentation"


@pytest.mark.django_db
def test_demo_photo_report_has_a_gallery_of_named_pictures(staff_client):
    specs = ARTICLES["fotootchet-fleshmob-myslim-klientocentrichno"]["attachments"]
    article = make_article(kind="report")
    _seed_attachments(article, specs)
    images = Attachment.objects.filter(kind=Attachment.Kind.IMAGE)
    assert images.count() == len(specs) >= 4
    assert all(image.title for image in images)
    response = staff_client.get(article.get_absolute_url())
    assert len(response.context["images"]) == len(specs)


@pytest.mark.django_db
def test_demo_presentation_shows_its_slides(staff_client):
    specs = ARTICLES["berezhlivoe-proizvodstvo-v-czn-vvodnaya-prezentaciya"]["attachments"]
    article = make_article(kind="presentation")
    _seed_attachments(article, specs)
    attachment = Attachment.objects.get()
    assert attachment.extraction_status == Attachment.ExtractionStatus.OK
    assert attachment.slides[0] == "Бережливое производство в ЦЗН\nВводное занятие для сотрудников"
    assert "" in attachment.slides  # a slide with a picture only
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert f"<summary>Текст слайдов: {len(attachment.slides)}</summary>" in page
