"""A staff photo is taken only when its bytes are a JPEG or a PNG of the type
its name says, and what is stored carries none of its metadata."""

import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from people.photos import photo_clean
from tests.people import images


def _clean(name, data):
    return photo_clean(SimpleUploadedFile(name, data))


def _refused(name, data):
    with pytest.raises(ValidationError) as caught:
        _clean(name, data)
    return " ".join(caught.value.messages)


# --- JPEG ---------------------------------------------------------------------------------


def test_a_plain_jpeg_is_taken_as_it_is():
    photo = _clean("фото.jpg", images.jpeg_bytes())
    assert (photo.extension, photo.width, photo.height) == ("jpg", 48, 32)
    assert photo.content == images.jpeg_bytes()


@pytest.mark.parametrize("name", ["photo.JPG", "photo.jpeg", "Фото.Jpeg"])
def test_every_spelling_of_the_jpeg_extension_is_taken(name):
    assert _clean(name, images.jpeg_bytes()).extension == "jpg"


def test_exif_xmp_comments_and_trailing_bytes_are_removed():
    data = images.jpeg_with(
        exif=images.exif_segment(orientation=1),
        xmp="<x:xmpmeta>Автор: Петрова</x:xmpmeta>".encode(),
        comment=b"secret comment",
        trailing=b"<html><script>alert(1)</script>",
    )
    content = _clean("photo.jpg", data).content
    for leak in (b"SecretCam", b"xmpmeta", "Петрова".encode(), b"secret", b"<script>", b"Exif"):
        assert leak not in content, leak
    assert content == images.jpeg_bytes()  # what is left is the picture, byte for byte
    assert content.endswith(b"\xff\xd9")


def test_the_orientation_alone_is_written_back():
    content = _clean("photo.jpg", images.jpeg_with(exif=images.exif_segment(orientation=6))).content
    assert b"SecretCam" not in content
    assert b"\x88\x25" not in content  # no GPS pointer
    exif = content.index(b"Exif\x00\x00")
    tiff = content[exif + 6 :]
    assert tiff[:4] == b"MM\x00\x2a"
    assert struct.unpack(">HHHIH", tiff[8:20]) == (1, 0x0112, 3, 1, 6)
    # Right after the JFIF header, before the tables.
    assert content.index(b"JFIF") < exif < content.index(b"\xff\xdb")


def test_a_jfif_thumbnail_is_dropped():
    data = images.jpeg_bytes()
    jfif_length = struct.unpack(">H", data[4:6])[0]
    thumbnail = bytes([2, 2]) + b"\x7f" * 12  # a 2×2 RGB thumbnail
    body = data[6 : 4 + jfif_length - 2] + thumbnail
    with_thumbnail = data[:4] + struct.pack(">H", len(body) + 2) + body + data[4 + jfif_length :]
    content = _clean("photo.jpg", with_thumbnail).content
    assert b"\x7f" * 12 not in content
    assert content[4:6] == b"\x00\x10"  # a plain 16-byte JFIF header


def _sof_replaced(marker):
    data = images.jpeg_bytes()
    at = data.index(b"\xff\xc0")
    return data[:at] + bytes([0xFF, marker]) + data[at + 2 :]


def test_a_progressive_jpeg_with_several_scans_is_taken():
    data = _sof_replaced(0xC2)
    scan = data.index(b"\xff\xda")
    # A second scan (its data is not decoded here, only its structure read).
    second = data[scan : data.index(b"\xff\xd9")]
    progressive = data[: data.index(b"\xff\xd9")] + second + b"\xff\xd9"
    content = _clean("photo.jpg", progressive).content
    assert content.count(b"\xff\xda") == 2


@pytest.mark.parametrize("marker", [0xC3, 0xC9, 0xCA])  # lossless, arithmetic coding
def test_kinds_of_jpeg_browsers_do_not_show_are_refused(marker):
    message = _refused("photo.jpg", _sof_replaced(marker))
    assert "Такой вид JPEG браузеры показывают не все" in message


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut in the middle"),
        pytest.param(lambda data: data[:-2], id="no end marker"),
        pytest.param(lambda data: data[:20] + b"\x00\x00" + data[20:], id="garbage after JFIF"),
        pytest.param(
            lambda data: data.replace(b"\xff\xda", b"\xff\xd0", 1), id="a restart marker outside"
        ),
        pytest.param(
            lambda data: data[: data.index(b"\xff\xc0")] + data[data.index(b"\xff\xc4") :],
            id="no frame",
        ),
    ],
)
def test_a_broken_jpeg_is_refused(broken):
    message = _refused("photo.jpg", broken(images.jpeg_bytes()))
    assert "повреждён или обрезан" in message and "«photo.jpg»" in message


# --- PNG ----------------------------------------------------------------------------------


def test_a_png_keeps_its_picture_and_loses_its_text_and_exif():
    data = images.png_bytes(
        40,
        20,
        extra=[
            (b"tEXt", b"Author\x00Anna Petrova"),
            (b"iTXt", b"Comment\x00\x00\x00\x00\x00secret"),
            (b"eXIf", b"MM\x00\x2a\x00\x00\x00\x08"),
            (b"tIME", b"\x07\xea\x03\x0f\x0a\x1e\x00"),
            (b"gAMA", struct.pack(">I", 45455)),
        ],
    )
    photo = _clean("photo.png", data + b"trailing <script>")
    assert (photo.extension, photo.width, photo.height) == ("png", 40, 20)
    for leak in (b"Anna", b"secret", b"eXIf", b"tIME", b"<script>"):
        assert leak not in photo.content, leak
    assert b"gAMA" in photo.content and photo.content.endswith(b"IEND\xaeB`\x82")


def test_an_interlaced_png_is_taken():
    assert _clean("photo.png", images.png_bytes(37, 23, interlace=1)).width == 37


def test_a_png_with_a_wrong_checksum_is_refused():
    data = bytearray(images.png_bytes())
    data[data.index(b"IDAT") + 6] ^= 0xFF
    assert "повреждён или обрезан" in _refused("photo.png", bytes(data))


def test_a_png_whose_data_does_not_fill_the_picture_is_refused():
    short = zlib.compress(b"\x00" + b"\x10" * 48)  # one row of sixteen
    assert "повреждён" in _refused("photo.png", images.png_bytes(idat=short))


def test_a_png_with_an_unknown_row_filter_is_refused():
    raw = b"".join(b"\x07" + b"\x10" * 48 for _row in range(16))
    assert "повреждён" in _refused("photo.png", images.png_bytes(raw=raw))


def test_a_compression_bomb_is_stopped_early():
    # 16×16 says 784 bytes of pixels; the data inflates to 200 MB of zeros.
    inflater = zlib.compressobj(9)
    bomb = b"".join(inflater.compress(b"\x00" * (1 << 20)) for _ in range(200)) + inflater.flush()
    assert len(bomb) < 300_000
    started = time.monotonic()
    assert "повреждён" in _refused("photo.png", images.png_bytes(idat=bomb))
    assert time.monotonic() - started < 2


def test_an_unknown_critical_chunk_is_refused():
    message = _refused("photo.png", images.png_bytes(extra=[(b"ZZZZ", b"x")]))
    assert "Такой вид PNG" in message


# --- What every photo is checked for ------------------------------------------------------


def test_the_bytes_of_another_type_than_the_extension_are_named():
    assert _refused("photo.jpg", images.png_bytes()) == (
        "Файл «photo.jpg» называется как JPEG, а внутри — изображение PNG. "
        "Сохраните фотографию заново или исправьте расширение."
    )
    assert "называется как PNG, а внутри — изображение JPEG" in _refused(
        "photo.png", images.jpeg_bytes()
    )


@pytest.mark.parametrize(
    "data",
    [
        "Это текст, а не фото".encode(),
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        b"MZ\x90\x00\x03\x00\x00\x00",
    ],
    ids=["text", "svg", "gif", "exe"],
)
def test_what_is_not_a_photo_is_refused_by_its_bytes(data):
    assert _refused("photo.jpg", data) == (
        "Файл «photo.jpg» — не фотография: его содержимое не похоже ни на JPEG, ни на PNG."
    )


@pytest.mark.parametrize("name", ["photo.gif", "photo.svg", "photo.heic", "photo.jpg.exe"])
def test_other_extensions_are_refused(name):
    message = _refused(name, images.jpeg_bytes())
    assert "как фотографию загрузить нельзя" in message and "(.jpg, .jpeg, .png)" in message


def test_a_name_without_an_extension_is_refused():
    assert "нет расширения" in _refused("photo", images.jpeg_bytes())


def test_an_empty_file_is_refused():
    assert _refused("photo.jpg", b"") == "Файл пустой."


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.PROFILE_PHOTO_MAX_BYTES = 1024
    message = _refused("photo.jpg", images.jpeg_bytes() + b"\x00" * 2000)
    assert message.startswith("Фотография слишком большая: 2,9\xa0КБ, можно не больше 1,0\xa0КБ.")


def test_a_tiny_picture_is_refused():
    message = _refused("photo.png", images.png_bytes(8, 40))
    assert message == "Фотография слишком маленькая: 8×40 точек, нужно хотя бы 16×16."


def test_a_picture_with_too_many_points_is_refused_without_inflating_it():
    message = _refused("photo.png", images.png_bytes(5000, 20, idat=b"never inflated"))
    assert message.startswith("У фотографии слишком много точек: 5000×20")
