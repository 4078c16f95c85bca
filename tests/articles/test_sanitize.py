"""No script runs from content: XSS payloads in every field a person can fill
come out of every staff page as inert text or harmless markup."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from tests.factories import make_article, make_attachment, make_section
from tests.html import active_content, form_data

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<p onclick="alert(1)">нажми</p>',
    '<a href="javascript:alert(1)">ссылка</a>',
    '<a href="JaVaScRiPt:alert(1)">ссылка</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href=" \tjava\nscript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)><circle r=1></circle></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<details open ontoggle="alert(1)">x</details>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
]

PAYLOAD_IDS = [f"payload{i}" for i in range(len(PAYLOADS))]


def _assert_inert(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert active_content(html) == [], url
        # Belt and braces on the raw bytes: these never appear unescaped.
        lowered = html.lower()
        for marker in ("<script", "<iframe", "<svg", "<style", "<object", "<embed"):
            assert marker not in lowered, (url, marker)


def _pages(article):
    tag_urls = [f"/tags/{tag.slug}/" for tag in article.tags.all()]
    return [
        "/",
        article.section.get_absolute_url(),
        article.get_absolute_url(),
        f"/articles/{article.pk}/history/",
        "/tags/",
        *tag_urls,
    ]


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_payload_in_body_is_neutralised_on_plain_save(staff_client, payload):
    article = make_article(body=f"<p>До</p>{payload}")
    article.refresh_from_db()
    assert active_content(article.body) == []
    assert article.body.startswith("<p>До</p>")
    _assert_inert(staff_client, _pages(article))


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_payload_in_body_is_neutralised_when_saved_by_queryset_update_then_saved(
    staff_client, payload
):
    # Even when raw HTML slipped into the row another way, the next save cleans it.
    article = make_article()
    Article.all_objects.filter(pk=article.pk).update(body=payload)
    article.refresh_from_db()
    article.save()
    article.refresh_from_db()
    assert active_content(article.body) == []


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_payload_in_body_is_neutralised_through_admin(client_for, editor, staff, payload):
    section = make_section()
    editor_client = client_for(editor)
    data = form_data(editor_client.get("/admin/articles/article/add/"), "article_form")
    data.update(
        section=[str(section.pk)],
        title=["Статья из админки"],
        slug=["iz-adminki"],
        kind=["document"],
        status=["published"],
        body=[f"<p>Текст</p>{payload}"],
        summary=[payload],
        tags=["метка"],
    )
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="iz-adminki")
    assert active_content(article.body) == []
    assert "Текст" in article.body
    _assert_inert(client_for(staff), _pages(article))


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_payload_in_plain_fields_is_shown_as_text(staff_client, payload):
    """Title, summary, tag name, attachment title and a related article's title."""
    article = make_article(title=f"Заголовок {payload}", summary=f"Кратко {payload}")
    article.tags.add(f"метка {payload}")
    make_attachment(article, title=f"Файл {payload}")
    article.related.add(make_article(article.section, title=f"Связанный {payload}"))
    article.refresh_from_db()
    # Plain fields hold no markup at all.
    for value in [article.title, article.summary, article.attachments.get().title]:
        assert active_content(value) == []
        assert "<" not in value
    _assert_inert(staff_client, [*_pages(article), "/search/?q=Заголовок"])


FILE_NAME_PAYLOADS = [
    "<script>alert(1)<.txt",
    "<img src=x onerror=alert(1)>.txt",
    '"><svg onload=alert(1)>.txt',
    "javascript:alert(1).txt",
    "<iframe src=javascript:alert(1)>.txt",
]


@pytest.mark.parametrize("name", FILE_NAME_PAYLOADS)
def test_payload_in_attachment_file_name_is_shown_as_text(staff_client, name):
    article = make_article()
    attachment = make_attachment(article, name=name)
    assert attachment.original_name == name
    _assert_inert(staff_client, [article.get_absolute_url()])
    response = staff_client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    # The name reaches the download only as a quoted header parameter, and the
    # file itself may not run anything even if a browser rendered it.
    disposition = response["Content-Disposition"]
    assert disposition.startswith('inline; filename="')
    assert disposition.endswith('.txt"')
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", FILE_NAME_PAYLOADS)
def test_payload_in_attachment_file_name_through_admin(client_for, editor, staff, name):
    article = make_article()
    editor_client = client_for(editor)
    change_url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(editor_client.get(change_url), "article_form")
    data["attachments-0-file"] = SimpleUploadedFile(name, "Памятка".encode())
    response = editor_client.post(change_url, data)
    assert response.status_code == 302
    attachment = article.attachments.get()
    assert attachment.original_name == name
    # Stored on disk under a harmless name.
    assert "<" not in attachment.file.name
    _assert_inert(client_for(staff), [article.get_absolute_url()])


def test_allowed_rich_text_survives(staff_client):
    body = (
        "<h2>Порядок</h2><ol><li><strong>раз</strong></li><li><em>два</em></li></ol>"
        '<p><a href="https://intranet.example/doc">документ</a></p>'
        "<table><tbody><tr><th>A</th></tr><tr><td>1</td></tr></tbody></table>"
    )
    article = make_article(body=body)
    article.refresh_from_db()
    for fragment in ["<h2>Порядок</h2>", "<strong>раз</strong>", "<em>два</em>", "<td>1</td>"]:
        assert fragment in article.body
    assert 'href="https://intranet.example/doc"' in article.body
    page = staff_client.get(article.get_absolute_url()).content.decode()
    assert "<h2>Порядок</h2>" in page


def test_links_get_noopener(staff_client):
    article = make_article(body='<p><a href="https://example.org">x</a></p>')
    article.refresh_from_db()
    assert 'rel="noopener noreferrer"' in article.body
