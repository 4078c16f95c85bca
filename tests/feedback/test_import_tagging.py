"""The import's fast paths give the same stored rows as the plain ones:
topics matched in the row pass (`BatchTagger`) write the links `_tag`
writes from the stored responses, and the comment cache stores what
masking and analysis give without it."""

import pytest

from feedback import importers
from feedback.masking import comment_mask
from feedback.models import FeedbackResponse, ImportBatch, ResponseTopic
from feedback.topics import LINK_COLUMNS, TopicMatcher, _tag, active_topics, comment_terms
from tests.feedback.factories import csv_bytes, feedback_row, import_file

COMMENTS = [
    "Долго ждала в очереди",
    "Долго ждала в очереди",
    "Грубый специалист, не дозвониться по телефону",
    "Меня зовут Анна Петрова, ждала в очереди час, тел. 8-917-123-45-67",
    "Меня зовут Анна Петрова, ждала в очереди час, тел. 8-917-123-45-67",
    "Кабинет 305",
    "Спасибо",
    "",
    "Записаться на приём через портал Работа России не получилось",
]
LINK_FIELDS = LINK_COLUMNS


def _rows(office, prefix):
    rows = []
    for number, comment in enumerate(COMMENTS):
        rows.append(
            feedback_row(
                external_id=f"{prefix}-{number}",
                office=office.title,
                comment=comment,
                csat=["1", "2", "3", "5", ""][number % 5],
                complaint="да" if number % 4 == 0 else "нет",
                channel=["очно", "ЕЦП", "телефон"][number % 3],
            )
        )
    return rows


def _links(batch):
    return set(ResponseTopic.objects.filter(response__batch=batch).values_list(*LINK_FIELDS))


@pytest.mark.django_db
def test_links_of_the_row_pass_are_those_of_reading_back(office):
    first = import_file(csv_bytes(_rows(office, "F")))
    assert first.status == ImportBatch.Status.IMPORTED, first.error
    # The second file repeats two stored responses: they get no second link.
    rows = _rows(office, "S") + _rows(office, "F")[:2]
    second = import_file(csv_bytes(rows))
    assert second.status == ImportBatch.Status.IMPORTED, second.error
    assert second.rows_duplicate == 2
    for batch in (first, second):
        written = _links(batch)
        assert len(written) >= 8  # queue, rudeness, phone, booking, portal …
        assert {link[-1] for link in written} == {True, False}
        ResponseTopic.objects.filter(response__batch=batch).delete()
        _tag(TopicMatcher(active_topics()), batch_id=batch.pk)
        assert _links(batch) == written
    assert ResponseTopic.objects.count() == 2 * len(_links(first))


@pytest.mark.django_db
def test_cached_comments_store_what_uncached_ones_do(office, monkeypatch):
    batch = import_file(csv_bytes(_rows(office, "C")))
    assert batch.status == ImportBatch.Status.IMPORTED, batch.error
    stored = _stored("C")
    assert len(stored) == len(COMMENTS)
    for number, comment, terms in stored:
        raw = COMMENTS[number]
        assert (comment, terms) == (comment_mask(raw), comment_terms(comment_mask(raw)))
    assert "917" not in "".join(comment for _number, comment, _terms in stored)
    # Without the cache (size 0) the same comments store the same rows.
    monkeypatch.setattr(importers, "COMMENT_CACHE", 0)
    again = import_file(csv_bytes(_rows(office, "D")))
    assert again.status == ImportBatch.Status.IMPORTED, again.error
    assert _stored("D") == stored


def _stored(prefix):
    rows = FeedbackResponse.objects.filter(external_id__startswith=f"{prefix}-").values_list(
        "external_id", "comment", "comment_terms"
    )
    return sorted((int(key.split("-")[1]), comment, terms) for key, comment, terms in rows)


def test_the_cache_is_bounded(db, monkeypatch):
    monkeypatch.setattr(importers, "COMMENT_CACHE", 2)
    checker = importers.FeedbackChecker({})
    for text in ("один", "два", "три", "один"):
        assert checker.comment_prepare(text) == (comment_mask(text), comment_terms(text))
    assert len(checker._comments) == 2
    assert checker.comment_prepare("") == ("", "")


@pytest.mark.django_db
def test_links_of_small_chunks_with_duplicates_among_them(office, monkeypatch):
    """Links go in with each chunk of rows: a chunk whose rows are partly
    stored already links only the rows it inserted, to their own ids."""
    from feedback import services

    monkeypatch.setattr(services, "write_chunk_size", lambda: 4)
    first = import_file(csv_bytes(_rows(office, "F")[::2]))
    assert first.status == ImportBatch.Status.IMPORTED, first.error
    # Every other row of the second file is a stored one, in every chunk.
    second = import_file(csv_bytes(_rows(office, "F")))
    assert second.status == ImportBatch.Status.IMPORTED, second.error
    assert second.rows_duplicate == len(_rows(office, "F")[::2])
    for batch in (first, second):
        written = _links(batch)
        assert written
        ResponseTopic.objects.filter(response__batch=batch).delete()
        _tag(TopicMatcher(active_topics()), batch_id=batch.pk)
        assert _links(batch) == written
    # No link points at a row the INSERT skipped.
    assert ResponseTopic.objects.count() == len(_links(first)) + len(_links(second))
