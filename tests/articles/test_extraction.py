"""Text of attachments for search: every format, and every way a file can fail.

Files are built in the test (tests/articles/files.py). An attachment is always
saved, whatever its file; only its extraction status and reason differ.
"""

import io
import subprocess
import sys
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import extraction
from articles.extraction import Limits, extract_text, normalize
from articles.models import Attachment
from articles.services import attachment_extract_text
from tests.articles import files
from tests.factories import make_article, make_attachment, png_bytes

Status = Attachment.ExtractionStatus
PHRASE = "Клиентоцентричность — ёмкое слово"


@pytest.fixture
def article(db):
    return make_article(title="Материал с вложениями")


def _attach(article, name, content):
    attachment = make_attachment(article, name=name, content=content)
    attachment.refresh_from_db()
    return attachment


def _assert_saved_without_text(attachment, status, reason):
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert attachment.file.storage.exists(attachment.file.name)
    assert attachment.extraction_status == status
    assert attachment.extraction_error == reason
    assert attachment.extracted_text == ""
    assert attachment.extracted_at is not None
    assert attachment.extraction_summary == f"текст не извлечён: {reason}"


@pytest.fixture
def sleeping_worker(monkeypatch):
    """A parser that never finishes (prints ``first`` before, if given)."""

    def install(first=""):
        code = "import sys, time\n"
        if first:
            code += f"sys.stdout.write({first!r}); sys.stdout.flush()\n"
        code += "time.sleep(60)"
        monkeypatch.setattr(
            extraction, "worker_command", lambda *args: [sys.executable, "-c", code]
        )

    return install


# --- Every format, Cyrillic intact -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("документ.docx", files.docx("Вступление", PHRASE)),
        ("слайды.pptx", files.pptx(["Заголовок"], [PHRASE])),
        ("таблица.xlsx", files.xlsx({"Лист": [["Код", PHRASE, 17]]})),
        (
            "документ.odt",
            files.odf("odt", f"<office:text><text:p>{PHRASE}</text:p></office:text>"),
        ),
        (
            "таблица.ods",
            files.odf(
                "ods",
                "<office:spreadsheet><table:table><table:table-row><table:table-cell>"
                f"<text:p>{PHRASE}</text:p></table:table-cell></table:table-row>"
                "</table:table></office:spreadsheet>",
            ),
        ),
        (
            "слайды.odp",
            files.odf(
                "odp",
                "<office:presentation><draw:page><draw:frame><draw:text-box>"
                f"<text:p>{PHRASE}</text:p></draw:text-box></draw:frame></draw:page>"
                "</office:presentation>",
            ),
        ),
        ("приказ.pdf", files.pdf(["Приказ № 1", PHRASE])),
        ("заметка.txt", PHRASE.encode("utf-8")),
        ("заметка-bom.txt", PHRASE.encode("utf-8-sig")),
        ("блокнот.txt", PHRASE.replace("—", "-").encode("cp1251")),
        ("юникод.txt", PHRASE.encode("utf-16")),
    ],
)
def test_text_of_each_format_is_extracted_with_cyrillic_intact(article, name, content):
    attachment = _attach(article, name, content)
    assert attachment.extraction_status == Status.OK
    assert attachment.extraction_error == ""
    assert attachment.extracted_at is not None
    expected = PHRASE.replace("—", "-") if name == "блокнот.txt" else PHRASE
    assert expected in attachment.extracted_text


def test_windows_1251_text_without_bom_is_recognised(article):
    text = "Памятка специалисту ЦЗН: недовольный клиент, шаги и фразы"
    attachment = _attach(article, "памятка.txt", text.encode("cp1251"))
    assert attachment.extracted_text == text


def test_utf16_without_bom_is_recognised():
    text = "Маршрут клиента 2026"
    for encoding in ("utf-16-le", "utf-16-be"):
        result = extract_text(text.encode(encoding), extension="txt")
        assert result.text == text, encoding


def test_word_paragraphs_tabs_notes_and_headers_are_read_once(article):
    body = (
        "<w:p><w:r><w:t>Первый</w:t><w:tab/><w:t>абзац</w:t></w:r></w:p>"
        "<w:p><w:r><w:t xml:space='preserve'>Строка </w:t><w:br/><w:t>вторая</w:t></w:r></w:p>"
        # A tracked deletion is not text any more.
        "<w:p><w:del><w:r><w:delText>удалённое</w:delText></w:r></w:del></w:p>"
        # A text box comes twice: for new Word and, as a fallback, for old.
        "<w:p><mc:AlternateContent xmlns:mc='http://schemas.openxmlformats.org/"
        "markup-compatibility/2006'><mc:Choice><w:txbxContent>"
        f"{files.w_paragraph('В рамке')}</w:txbxContent></mc:Choice><mc:Fallback>"
        f"{files.w_paragraph('В рамке')}</mc:Fallback></mc:AlternateContent></w:p>"
    )
    header = f'<w:hdr xmlns:w="{files.W_NS}">{files.w_paragraph("Колонтитул")}</w:hdr>'
    notes = f'<w:footnotes xmlns:w="{files.W_NS}">{files.w_paragraph("Сноска")}</w:footnotes>'
    content = files.docx(body=body, parts={"word/header1.xml": header, "word/footnotes.xml": notes})
    attachment = _attach(article, "документ.docx", content)
    assert attachment.extracted_text.split("\n") == [
        "Первый абзац",
        "Строка",
        "вторая",
        "В рамке",
        "Сноска",
        "Колонтитул",
    ]


def test_slides_come_in_show_order_not_file_order(article):
    content = files.pptx(["Первый слайд"], ["Второй слайд"], file_order=[2, 1])
    attachment = _attach(article, "слайды.pptx", content)
    assert attachment.extracted_text == "Первый слайд\nВторой слайд"


def test_spreadsheet_gives_sheet_names_and_text_cells_not_numbers(article):
    content = files.xlsx(
        {"ЦЗН Самара": [["Адрес", "ул. Ленина, 1"]], "Показатели": [["Индекс", 87.5]]}
    )
    attachment = _attach(article, "таблица.xlsx", content)
    # One line per cell: joined, «Адрес ул. Ленина, 1» would read as one phrase.
    assert attachment.extracted_text == "ЦЗН Самара\nАдрес\nул. Ленина, 1\nПоказатели\nИндекс"


def test_table_cells_of_word_and_powerpoint_are_lines_of_their_own(article):
    expected = ["Этапы пути", "Этап", "Что делает клиент", "Запись", "Звонит в ЦЗН"]
    word_rows = "".join(
        "<w:tr>" + "".join(f"<w:tc>{files.w_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
        for row in (expected[1:3], expected[3:])
    )
    word = files.docx(body=f"{files.w_paragraph(expected[0])}<w:tbl>{word_rows}</w:tbl>")
    assert _attach(article, "путь.docx", word).extracted_text.split("\n") == expected

    slide_rows = "".join(
        "<a:tr>"
        + "".join(
            f"<a:tc><a:txBody><a:p><a:r><a:t>{c}</a:t></a:r></a:p></a:txBody></a:tc>" for c in row
        )
        + "</a:tr>"
        for row in (expected[1:3], expected[3:])
    )
    table = (
        "<p:graphicFrame><a:graphic><a:graphicData><a:tbl>"
        f"{slide_rows}</a:tbl></a:graphicData></a:graphic></p:graphicFrame></p:spTree>"
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(files.pptx([expected[0]]))) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for name in source.namelist():
            part = source.read(name)
            if name == "ppt/slides/slide1.xml":  # a table after the title
                part = part.decode().replace("</p:spTree>", table).encode()
            target.writestr(name, part)
    presentation = buffer.getvalue()
    assert _attach(article, "путь.pptx", presentation).extracted_text.split("\n") == expected


def test_opendocument_spaces_and_spans_are_joined_as_written(article):
    body = (
        "<office:text><text:h>Заголовок</text:h><text:p>Слово<text:s text:c='3'/>ещё"
        "<text:tab/><text:span>выделено</text:span> и хвост</text:p></office:text>"
    )
    attachment = _attach(article, "документ.odt", files.odf("odt", body))
    assert attachment.extracted_text == "Заголовок\nСлово ещё выделено и хвост"


def test_whitespace_and_invisible_characters_are_normalised():
    raw = "  Пере\u00adнос\u200b  и\u00a0пробел\t\r\n\r\n\r\nи\u0306наче\x00 \n\n  "
    assert normalize(raw) == "Перенос и пробел\nйначе"


# --- Limits ------------------------------------------------------------------------------


def test_only_the_first_pages_of_a_long_pdf_are_read(article, settings):
    settings.EXTRACT_MAX_PAGES = 2
    content = files.pdf(*[f"Страница номер {n}" for n in range(1, 6)])
    attachment = _attach(article, "длинный.pdf", content)
    assert attachment.extraction_status == Status.OK
    assert attachment.extracted_text == "Страница номер 1\nСтраница номер 2"
    assert attachment.extraction_error == "прочитано страниц: 2 из 5"
    assert attachment.extraction_summary == (
        "текст извлечён: 33 символа (прочитано страниц: 2 из 5)"
    )


def test_text_is_cut_at_the_character_limit_on_a_word_boundary(article, settings):
    settings.EXTRACT_MAX_CHARS = 1000
    content = ("слово " * 1000).encode()
    attachment = _attach(article, "большой.txt", content)
    assert attachment.extraction_status == Status.OK
    assert 900 < len(attachment.extracted_text) <= 1000
    assert attachment.extracted_text.endswith("слово")
    assert attachment.extraction_error == "текст длиннее предела и сохранён не весь"


def test_file_over_the_size_cap_is_saved_without_starting_a_parser(article, settings, monkeypatch):
    settings.EXTRACT_MAX_BYTES = 1024
    monkeypatch.setattr(extraction.subprocess, "run", _no_process)
    attachment = _attach(article, "большой.txt", b"x" * 2048)
    _assert_saved_without_text(
        attachment, Status.FAILED, "файл больше 1,0\xa0КБ — текст из таких файлов не извлекается"
    )


def test_slow_parser_is_stopped_at_the_time_limit(article, settings, sleeping_worker):
    settings.EXTRACT_MAX_SECONDS = 1
    sleeping_worker()
    started = time.monotonic()
    attachment = _attach(article, "приказ.pdf", files.pdf("Текст"))
    assert time.monotonic() - started < 5
    _assert_saved_without_text(attachment, Status.FAILED, "превышено время обработки (1 с)")


def test_text_read_before_the_time_limit_is_kept(article, settings, sleeping_worker):
    settings.EXTRACT_MAX_SECONDS = 1
    sleeping_worker(first='{"text": "Первые страницы"}\n{"text": "Вторая часть"}\n{"tex')
    attachment = _attach(article, "приказ.pdf", files.pdf("Текст"))
    assert attachment.extraction_status == Status.OK
    assert attachment.extracted_text == "Первые страницыВторая часть"
    assert attachment.extraction_error == ("время обработки истекло, извлечена только часть текста")


def test_real_parser_is_stopped_at_the_time_limit(settings):
    settings.EXTRACT_MAX_SECONDS = 0.05  # less than starting Python takes
    result = extract_text(files.pdf("Текст"), extension="pdf")
    assert (result.status, result.reason) == (Status.FAILED, "превышено время обработки (0.05 с)")


def test_parser_running_out_of_memory_gives_a_reason(settings):
    settings.EXTRACT_MAX_BYTES = 100 * 1024 * 1024
    settings.EXTRACT_MAX_MEMORY_BYTES = 64 * 1024 * 1024
    content = ("Текст " * 4_000_000).encode()  # 44 MB of text: 88 MB as a string
    result = extract_text(content, extension="txt")
    assert result.status == Status.FAILED
    assert result.reason == "файл слишком сложный: не хватило памяти на обработку"


def test_crashed_parser_gives_a_reason_and_is_logged(article, monkeypatch, caplog):
    monkeypatch.setattr(
        extraction,
        "worker_command",
        lambda *args: [sys.executable, "-c", "import sys; sys.exit('внутренняя ошибка')"],
    )
    attachment = _attach(article, "приказ.pdf", files.pdf("Текст"))
    _assert_saved_without_text(attachment, Status.FAILED, "не удалось обработать файл")
    assert "внутренняя ошибка" in caplog.text


def test_parser_needs_neither_django_nor_settings():
    code = (
        "import sys; sys.modules['django'] = None\n"  # any import of Django now fails
        "from articles.extraction_worker import main\n"
        "main(['--format=docx', '--max-pages=5', '--max-chars=1000', '--max-unpacked=10000000',"
        " '--max-memory=536870912', '--max-seconds=10'])"
    )
    completed = subprocess.run(  # noqa: S603 - our interpreter
        [sys.executable, "-c", code],
        input=files.docx("Без Django"),
        capture_output=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
        cwd=extraction.settings.BASE_DIR,
        timeout=30,
    )
    assert b'{"text": "\\u0411' not in completed.stdout  # not escaped: UTF-8 as is
    assert "Без Django" in completed.stdout.decode()
    assert '"outcome": "ok"' in completed.stdout.decode()


# --- Broken, locked, scanned, hostile ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("обрезан.docx", files.docx("Текст документа " * 200)[:400]),
        ("без-книги.xlsx", files._ooxml({"xl/styles.xml": "<styleSheet/>"})),
        ("мусор.pdf", b"%PDF-1.4\n" + b"\x8f\x00 garbage " * 100),
        ("без-содержимого.odt", files.odf("odt", "<office:text/>")[:200]),
    ],
)
def test_broken_file_is_saved_with_reason(article, name, content):
    attachment = _attach(article, name, content)
    _assert_saved_without_text(attachment, Status.FAILED, "файл повреждён")


def test_password_protected_pdf_is_saved_with_reason(article):
    content = files.encrypted_pdf(files.pdf("Секретный текст"))
    attachment = _attach(article, "закрытый.pdf", content)
    _assert_saved_without_text(attachment, Status.FAILED, "файл защищён паролем")


def test_pdf_locked_only_against_editing_is_read(article):
    content = files.encrypted_pdf(files.pdf("Открытый текст"), opens_without_password=True)
    attachment = _attach(article, "только-чтение.pdf", content)
    assert attachment.extraction_status == Status.OK
    assert attachment.extracted_text == "Открытый текст"


def test_encrypted_opendocument_is_saved_with_reason(article):
    manifest = "<manifest><file-entry><encryption-data/></file-entry></manifest>"
    content = files.odf("odt", "<office:text/>", manifest=manifest)
    attachment = _attach(article, "закрытый.odt", content)
    _assert_saved_without_text(attachment, Status.FAILED, "файл защищён паролем")


def test_scanned_pdf_is_saved_with_reason(article):
    attachment = _attach(article, "скан.pdf", files.scanned_pdf())
    _assert_saved_without_text(attachment, Status.EMPTY, "в файле нет текстового слоя (скан)")


def test_document_without_text_is_saved_with_reason(article):
    attachment = _attach(article, "пустой.docx", files.docx())
    _assert_saved_without_text(attachment, Status.EMPTY, "в файле нет текста")


def test_image_is_saved_as_format_without_text_and_no_parser_starts(article, monkeypatch):
    monkeypatch.setattr(extraction.subprocess, "run", _no_process)
    attachment = _attach(article, "схема.png", png_bytes())
    _assert_saved_without_text(
        attachment, Status.UNSUPPORTED, "формат не поддерживается для поиска"
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + f']><w:document xmlns:w="{files.W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t>'
    "</w:r></w:p></w:body></w:document>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    f'<w:document xmlns:w="{files.W_NS}"><w:body><w:p><w:r><w:t>&secret;</w:t>'
    "</w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_xml_bomb_and_external_entity_are_refused_safely(article, document):
    content = files._ooxml({"word/document.xml": document})
    started = time.monotonic()
    attachment = _attach(article, "бомба.docx", content)
    assert time.monotonic() - started < 5
    _assert_saved_without_text(
        attachment, Status.FAILED, "в файле недопустимая XML-разметка (DTD или сущности)"
    )


def test_zip_bomb_is_refused_before_unpacking(article, settings):
    settings.EXTRACT_MAX_UNPACKED_BYTES = 1024 * 1024
    filler = "<w:p/>" * 400_000  # 2.4 MB of XML that deflates to a few KB
    content = files.docx(body=files.w_paragraph("Текст") + filler)
    assert len(content) < 50_000
    attachment = _attach(article, "бомба.docx", content)
    _assert_saved_without_text(
        attachment, Status.FAILED, "файл распаковывается больше чем в 1,0\xa0МБ"
    )


# --- The service -------------------------------------------------------------------------


def test_re_extraction_writes_one_row_and_no_history(article, django_assert_num_queries):
    attachment = make_attachment(article, name="памятка.txt", content="Старый текст".encode())
    history_before = attachment.history.count()
    attachment.file.open("wb")
    attachment.file.write("Новый текст".encode())
    attachment.file.close()
    with django_assert_num_queries(1):
        result = attachment_extract_text(attachment=attachment)
    assert result.text == "Новый текст"
    attachment.refresh_from_db()
    assert attachment.extracted_text == "Новый текст"
    assert attachment.history.count() == history_before


def test_stored_file_gone_missing_is_reported(article):
    attachment = make_attachment(article, name="памятка.txt")
    attachment.file.storage.delete(attachment.file.name)
    attachment_extract_text(attachment=attachment)
    attachment.refresh_from_db()
    assert attachment.extraction_status == Status.FAILED
    assert attachment.extraction_error == "файл не найден в хранилище"


def test_big_upload_spooled_to_disk_is_read_from_its_path(article, settings):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("отчёт.txt", "text/plain", 0, "utf-8")
    upload.write("Текст из временного файла".encode())
    upload.size = upload.tell()
    upload.seek(0)
    from articles.services import attachment_add

    attachment = attachment_add(article=article, upload=upload)
    upload.close()
    attachment.refresh_from_db()
    assert attachment.extracted_text == "Текст из временного файла"


def test_demo_attachments_get_their_text(article):
    # The demo's own attachment specs, through the code seed_demo uses for them
    # (the whole demo, with feedback and ideas, takes half a minute to seed).
    from fixtures.demo_content import ARTICLES
    from kb_portal.demo import _seed_attachments

    # The demo's audio and video have no text; every document has.
    specs = [spec for item in ARTICLES for spec in item.get("attachments", []) if "text" in spec]
    assert _seed_attachments(article, specs) == 6
    attachments = Attachment.objects.all()
    assert {a.extraction_status for a in attachments} == {Status.OK}
    assert all(len(a.extracted_text) > 10 for a in attachments)


def test_limits_come_from_settings(settings):
    settings.EXTRACT_MAX_SECONDS = 7
    settings.EXTRACT_MAX_PAGES = 9
    limits = Limits.from_settings()
    assert (limits.seconds, limits.pages) == (7, 9)


def _no_process(*args, **kwargs):
    raise AssertionError("no parser process should start")


def test_upload_file_object_is_left_rewound_for_saving(article):
    upload = SimpleUploadedFile("памятка.txt", "Текст памятки".encode())
    result = extract_text(upload, extension="txt")
    assert result.text == "Текст памятки"
    assert upload.read() == "Текст памятки".encode()
