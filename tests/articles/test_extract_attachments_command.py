"""``manage.py extract_attachments``: catch up, retry failures, or redo all."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Attachment
from tests.articles import files
from tests.factories import make_article, make_attachment

Status = Attachment.ExtractionStatus


@pytest.fixture
def attachments(db):
    """One attachment in each state that matters to the command."""
    article = make_article()
    pending = make_attachment(article, name="старое.txt", content="Добавлено давно".encode())
    failed = make_attachment(article, name="сломан.docx", content=files.docx("Т" * 500)[:300])
    done = make_attachment(article, name="готово.txt", content="Уже извлечено".encode())
    # As left by the migration for files added before extraction existed.
    Attachment.objects.filter(pk=pending.pk).update(
        extraction_status=Status.PENDING, extracted_text="", extracted_at=None
    )
    assert Attachment.objects.get(pk=failed.pk).extraction_status == Status.FAILED
    return {"pending": pending, "failed": failed, "done": done}


def _run(*args):
    out = StringIO()
    call_command("extract_attachments", *args, stdout=out)
    return out.getvalue()


def _extracted_at(attachment):
    return Attachment.objects.get(pk=attachment.pk).extracted_at


def test_without_options_only_pending_attachments_are_extracted(attachments):
    before = {name: _extracted_at(a) for name, a in attachments.items()}
    output = _run()
    assert Attachment.objects.get(pk=attachments["pending"].pk).extracted_text == (
        "Добавлено давно"
    )
    assert _extracted_at(attachments["failed"]) == before["failed"]
    assert _extracted_at(attachments["done"]) == before["done"]
    assert "] 1/1" in output
    assert "Обработано вложений: 1. Текст извлечён — 1, текста нет — 0, не удалось — 0" in output


def test_failed_option_retries_failures_and_pending(attachments):
    before = _extracted_at(attachments["done"])
    output = _run("--failed")
    assert "Обработано вложений: 2. Текст извлечён — 1, текста нет — 0, не удалось — 1" in output
    assert _extracted_at(attachments["done"]) == before


def test_all_option_extracts_every_attachment_with_a_progress_bar(attachments):
    output = _run("--all")
    assert "[" + "█" * 10 + "·" * 20 + "] 1/3" in output
    assert "[" + "█" * 30 + "] 3/3" in output
    assert "Обработано вложений: 3." in output
    assert Attachment.objects.filter(extraction_status=Status.PENDING).count() == 0


def test_articles_of_re_extracted_attachments_are_reindexed(attachments, monkeypatch):
    from articles.management.commands import extract_attachments

    indexed = []
    monkeypatch.setattr(
        extract_attachments,
        "search_index_articles",
        lambda article_ids: indexed.append(article_ids),
    )
    _run("--all")
    assert indexed == [{attachments["done"].article_id}]


def test_nothing_to_do_is_said_plainly(db):
    assert "Обработано вложений: 0." in _run()
