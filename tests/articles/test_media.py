"""Audio, video, images and PDFs: the browser's own viewers may work, nothing else
may run, players on the article page, and byte ranges for seeking."""

import io
from pathlib import Path

import pytest
from django.http import FileResponse

from articles.serving import attachment_response
from tests.factories import docx_bytes, make_article, make_attachment, pdf_bytes, png_bytes

MEDIA = Path(__file__).resolve().parents[2] / "fixtures" / "recordings"
VIDEO = (MEDIA / "videoinstrukciya-dashbord-indeksa.mp4").read_bytes()
AUDIO = (MEDIA / "podcast-klientocentrichnost-vypusk-1.mp3").read_bytes()


@pytest.fixture
def files(db):
    article = make_article(title="Видеоинструкция")
    return {
        "mp4": make_attachment(article, name="ролик.mp4", content=VIDEO, title="Как читать"),
        "mp3": make_attachment(article, name="выпуск.mp3", content=AUDIO),
        "pdf": make_attachment(article, name="приказ.pdf", content=pdf_bytes()),
        "png": make_attachment(article, name="схема.png", content=png_bytes()),
        "txt": make_attachment(article, name="памятка.txt"),
        "docx": make_attachment(article, name="шаблон.docx", content=docx_bytes()),
    }


def _get(client, attachment, **headers):
    return client.get(attachment.get_absolute_url(), headers=headers)


def _body(response):
    return b"".join(response.streaming_content)


def _policy(response):
    return {
        part.split()[0]: part.split()[1:]
        for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))
    }


@pytest.mark.parametrize("ext", ["mp4", "mp3"])
def test_media_policy_lets_the_browsers_player_load_the_file_and_nothing_else(
    staff_client, files, ext
):
    response = _get(staff_client, files[ext])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    policy = _policy(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["media-src"] == ["'self'"]
    # Sandboxed without scripts; same origin only so the player's own request
    # for the file is not cross-origin.
    assert policy["sandbox"] == ["allow-same-origin"]
    assert "script-src" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Accept-Ranges"] == "bytes"


def test_pdf_policy_lets_the_pdf_viewer_start(staff_client, files):
    response = _get(staff_client, files["pdf"])
    policy = _policy(response)
    assert response["Content-Type"] == "application/pdf"
    assert policy["default-src"] == ["'none'"]
    assert policy["object-src"] == ["'self'"]
    assert "sandbox" not in policy  # a sandbox keeps the PDF viewer from starting
    assert "script-src" not in policy


def test_image_policy_lets_the_image_show_in_a_sandbox(staff_client, files):
    policy = _policy(_get(staff_client, files["png"]))
    assert policy["img-src"] == ["'self'"]
    assert policy["sandbox"] == []
    assert "script-src" not in policy


@pytest.mark.parametrize("ext", ["txt", "docx"])
def test_other_files_keep_the_strict_sandbox(staff_client, files, ext):
    response = _get(staff_client, files[ext])
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_office_file_is_still_a_download(staff_client, files):
    assert _get(staff_client, files["docx"])["Content-Disposition"].startswith("attachment;")


def test_range_gives_partial_content(staff_client, files):
    response = _get(staff_client, files["mp4"], Range="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(VIDEO)}"
    assert response["Content-Length"] == "100"
    assert _body(response) == VIDEO[100:200]
    assert response["Content-Type"] == "video/mp4"
    assert "media-src" in response["Content-Security-Policy"]


def test_range_from_the_first_byte_is_the_whole_file_as_partial_content(staff_client, files):
    # What a browser's player sends first: «bytes=0-».
    response = _get(staff_client, files["mp4"], Range="bytes=0-")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-{len(VIDEO) - 1}/{len(VIDEO)}"
    assert response["Content-Length"] == str(len(VIDEO))
    assert _body(response) == VIDEO


def test_one_byte_range(staff_client, files):
    response = _get(staff_client, files["mp3"], Range="bytes=0-0")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-0/{len(AUDIO)}"
    assert _body(response) == AUDIO[:1]


def test_suffix_range_longer_than_the_file_gives_all_of_it(staff_client, files):
    response = _get(staff_client, files["mp3"], Range=f"bytes=-{len(AUDIO) * 3}")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-{len(AUDIO) - 1}/{len(AUDIO)}"
    assert _body(response) == AUDIO


def test_open_range_runs_to_the_end(staff_client, files):
    response = _get(staff_client, files["mp4"], Range="bytes=1000-")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-{len(VIDEO) - 1}/{len(VIDEO)}"
    assert _body(response) == VIDEO[1000:]


def test_suffix_range_gives_the_last_bytes(staff_client, files):
    response = _get(staff_client, files["mp3"], Range="bytes=-500")
    assert response.status_code == 206
    assert _body(response) == AUDIO[-500:]


def test_range_past_the_end_is_clipped(staff_client, files):
    response = _get(staff_client, files["mp3"], Range=f"bytes=10-{len(AUDIO) * 2}")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-{len(AUDIO) - 1}/{len(AUDIO)}"
    assert _body(response) == AUDIO[10:]


@pytest.mark.parametrize(
    "header",
    [
        f"bytes={len(VIDEO)}-",
        f"bytes={len(VIDEO) + 5}-9999999",
        "bytes=-0",
        "bytes=99999999999999999999999999-",
        "bytes=" + "9" * 5000 + "-",  # more digits than Python turns into an int
    ],
)
def test_unsatisfiable_range_is_416(staff_client, files, header):
    response = _get(staff_client, files["mp4"], Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.content == b""


def test_huge_end_or_suffix_is_clipped_to_the_file(staff_client, files):
    end = _get(staff_client, files["mp3"], Range="bytes=10-" + "9" * 5000)
    assert end.status_code == 206
    assert _body(end) == AUDIO[10:]
    suffix = _get(staff_client, files["mp3"], Range="bytes=-" + "9" * 5000)
    assert suffix.status_code == 206
    assert _body(suffix) == AUDIO


@pytest.mark.parametrize(
    "header",
    [
        "bytes=abc",
        "bytes=5-3",
        "bytes=0-1,5-6",
        "items=0-5",
        "bytes=-",
        "bytes=--5",
        "bytes=0-0-0",
        "bytes=1.5-2",
        "bytes=-5-",
        "bytes 0-5",
        "bytes=０-５",  # full-width digits
        "bytes=١-٣",  # Arabic-Indic digits: digits to a regex's \d, not to HTTP
        "garbage",
        "=",
        "bytes=" + "-" * 3000,
    ],
)
def test_malformed_range_is_ignored_and_the_whole_file_sent(staff_client, files, header):
    response = _get(staff_client, files["mp4"], Range=header)
    assert response.status_code == 200
    assert _body(response) == VIDEO


class _CountingFile(io.BytesIO):
    """A file that records how much each read asks for."""

    def __init__(self, data):
        super().__init__(data)
        self.reads = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


@pytest.mark.parametrize(
    ("header", "part"),
    [
        (None, slice(None)),
        ("bytes=0-", slice(None)),
        ("bytes=1000-", slice(1000, None)),
        ("bytes=-5000", slice(-5000, None)),
    ],
)
def test_the_file_is_sent_in_blocks_never_read_whole(rf, files, header, part):
    attachment = files["mp4"]
    request = rf.get(attachment.get_absolute_url(), headers={"Range": header} if header else {})
    handle = _CountingFile(VIDEO)
    response = attachment_response(request, attachment, handle)
    assert response.streaming
    assert _body(response) == VIDEO[part]
    reads = [size for size in handle.reads if size is not None]
    assert reads, "the body was not read from the file"
    # Block by block; never read(-1), the whole file at once.
    assert all(0 <= size <= FileResponse.block_size for size in reads), reads
    assert len(VIDEO) > FileResponse.block_size  # so the file really took several reads


def test_if_range_with_another_version_gets_the_whole_file(staff_client, files):
    etag = _get(staff_client, files["mp4"])["ETag"]
    same = _get(staff_client, files["mp4"], Range="bytes=0-9", **{"If-Range": etag})
    assert same.status_code == 206
    other = _get(staff_client, files["mp4"], Range="bytes=0-9", **{"If-Range": '"old"'})
    assert other.status_code == 200
    assert _body(other) == VIDEO


def test_unchanged_file_is_not_sent_again(staff_client, files):
    etag = _get(staff_client, files["pdf"])["ETag"]
    assert _get(staff_client, files["pdf"], **{"If-None-Match": etag}).status_code == 304


def test_range_of_another_persons_draft_is_404(staff_client, files):
    article = files["mp4"].article
    article.status = article.Status.DRAFT
    article.save()
    assert _get(staff_client, files["mp4"], Range="bytes=0-9").status_code == 404


# --- The article page ------------------------------------------------------------------------


def test_article_page_plays_video_and_audio(staff_client, files):
    page = staff_client.get(files["mp4"].article.get_absolute_url()).content.decode()
    video, audio = files["mp4"], files["mp3"]
    assert (
        '<video controls preload="metadata" width="640" height="360">\n'
        f'      <source src="/attachments/{video.pk}/" type="video/mp4">'
    ) in page
    assert '<audio controls preload="metadata">\n' in page
    assert f'<source src="/attachments/{audio.pk}/" type="audio/mpeg">' in page
    # The title (or file name) as caption, a download for browsers without a player.
    assert "<figcaption>Как читать" in page
    assert "<figcaption>выпуск.mp3" in page
    assert f'<a href="/attachments/{video.pk}/" download>Скачать файл</a>' in page


def test_media_files_are_played_not_listed_with_the_other_attachments(staff_client, files):
    response = staff_client.get(files["mp4"].article.get_absolute_url())
    assert [file.original_name for file in response.context["players"]] == [
        "ролик.mp4",
        "выпуск.mp3",
    ]
    # Images make the gallery (tests/articles/test_gallery.py).
    assert [file.original_name for file in response.context["images"]] == ["схема.png"]
    listed = [file.original_name for file in response.context["attachments"]]
    assert listed == ["приказ.pdf", "памятка.txt", "шаблон.docx"]


def test_pdf_opens_in_the_browser_and_can_be_downloaded(staff_client, files):
    page = staff_client.get(files["pdf"].article.get_absolute_url()).content.decode()
    url = files["pdf"].get_absolute_url()
    assert f'<li><a href="{url}">приказ.pdf</a>' in page
    assert f'<a href="{url}" download>скачать</a>' in page


def test_page_without_media_loads_no_player_styles(staff_client, db):
    article = make_article()
    make_attachment(article, name="памятка.txt")
    assert "media.css" not in staff_client.get(article.get_absolute_url()).content.decode()
