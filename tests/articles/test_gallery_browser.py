"""A real Chromium pages through an article's gallery (static/js/gallery.js):
a thumbnail opens the modal view on its image, the arrow keys go on (and round),
«Закрыть» closes it and the focus is back on the thumbnail last shown.

The article page is opened in a frame of a test page whose script plays the
person (the portal's own pages carry no script but their static files).
Skipped where Chromium is not installed, as tests/articles/test_media_browser.py.
"""

import re

import pytest
from django.urls import include, path

from tests.articles.test_media_browser import CHROMIUM, _chromium, _login_as
from tests.factories import make_article, make_attachment, make_user, png_bytes

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

PROBE = """<!doctype html><html lang="ru"><title>t</title>
<iframe src="%(url)s" width="1000" height="800"></iframe><p id="out">ожидание</p>
<script>
const frame = document.querySelector("iframe"), out = document.getElementById("out");
frame.addEventListener("load", () => {
  const doc = frame.contentDocument, log = [];
  const links = doc.querySelectorAll("a[data-gallery-item]");
  const dialog = () => doc.querySelector("dialog.lightbox");
  const key = (name) => dialog().dispatchEvent(
    new KeyboardEvent("keydown", {key: name, bubbles: true, cancelable: true}));
  const state = () => [
    dialog().open, dialog().querySelector(".lightbox__position").textContent,
    dialog().querySelector(".lightbox__image").alt,
    dialog().querySelector(".lightbox__image").getAttribute("src"),
  ].join(",");
  links[0].click();
  log.push("opened " + state());
  log.push("focus " + doc.activeElement.textContent);
  key("ArrowRight"); log.push("right " + state());
  key("ArrowLeft"); key("ArrowLeft"); log.push("round " + state());
  key("Home"); log.push("home " + state());
  key("End"); log.push("end " + state());
  dialog().querySelector("[data-lightbox-close]").click();
  setTimeout(() => {
    log.push("closed " + dialog().open);
    log.push("back " + (doc.activeElement === links[2]));
    out.textContent = log.join("|");
  }, 200);
});
</script></html>"""


def _probe(request, section, slug):
    from django.http import HttpResponse

    return HttpResponse(PROBE % {"url": f"/kb/{section}/{slug}/"})


urlpatterns = [
    path("_test/login/<str:username>/", _login_as),
    path("_test/gallery/<str:section>/<str:slug>/", _probe),
    path("", include("kb_portal.urls")),
]


@pytest.fixture
def browser_site(settings, live_server):
    make_user("viewer")  # no role: the groups are flushed in a transactional test
    settings.ROOT_URLCONF = __name__
    settings.SESSION_COOKIE_SECURE = False
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"  # the test page frames the article
    return live_server.url


def test_gallery_opens_pages_with_the_keys_and_gives_the_focus_back(browser_site):
    article = make_article(title="Фотоотчёт")
    photos = [
        make_attachment(article, name=f"фото-{n}.png", content=png_bytes(), title=title)
        for n, title in enumerate(["Вход", "Зал ожидания", "Детский уголок"])
    ]
    urls = [browser_site + photo.get_absolute_url() for photo in photos]
    dom, console = _chromium(browser_site, f"/_test/gallery/{article.section.slug}/{article.slug}/")
    result = re.search(r'<p id="out">([^<]*)</p>', dom)
    assert result and result[1] != "ожидание", (dom[-800:], console)
    steps = result[1].split("|")
    assert steps == [
        f"opened true,Изображение 1 из 3,Вход,{urls[0]}",
        "focus Закрыть",
        f"right true,Изображение 2 из 3,Зал ожидания,{urls[1]}",
        f"round true,Изображение 3 из 3,Детский уголок,{urls[2]}",
        f"home true,Изображение 1 из 3,Вход,{urls[0]}",
        f"end true,Изображение 3 из 3,Детский уголок,{urls[2]}",
        "closed false",
        "back true",
    ], console
