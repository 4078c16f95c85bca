"""The digest: the person's choice (forged values refused), and
``send_digests``: what goes in, Russian letters with HTML and text parts and
absolute links, empty digests not sent, re-runs and resumed runs sending
nothing twice, weekly ones on Mondays, a fixed number of queries per batch."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleUpdate
from articles.services import article_update_record
from ideas.services import decision_record, idea_vote_cast
from notifications.digests import digests_send
from notifications.models import DigestFrequency, DigestSent, DigestSetting
from notifications.services import digest_frequency_set
from notifications.subscriptions import subscription_follow
from questions.services import answer_post, question_ask
from tests.articles.reading import mandatory_article
from tests.factories import ROLE_USERS, make_article, make_section, make_user
from tests.ideas.factories import make_idea, make_meeting

PORTAL = "https://kb.szn.example"
MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _portal(settings):
    settings.PORTAL_URL = PORTAL


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Letters leave after the commit: run those callbacks as they come."""
    global _ON_COMMIT
    _ON_COMMIT = django_capture_on_commit_callbacks
    yield
    _ON_COMMIT = None


_ON_COMMIT = None


def _person(name, frequency=DigestFrequency.DAILY, **extra):
    user = make_user(name, role=ROLE_USERS["staff"], email=f"{name}@szn.example", **extra)
    digest_frequency_set(user=user, frequency=frequency)
    return user


def _moment(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _update(article, summary, day, hour=9):
    update = article_update_record(article=article, summary=summary)
    ArticleUpdate.objects.filter(pk=update.pk).update(at=_moment(day, hour))


def _send(day=TUESDAY, **kwargs):
    with _ON_COMMIT(execute=True):
        return digests_send(day=day, now=_moment(day, 23), **kwargs)


# --- the choice ---------------------------------------------------------------------


def test_choice_is_saved(staff_client, staff):
    response = staff_client.post("/notifications/settings/digest/", {"frequency": "weekly"})
    assert response.status_code == 302
    assert DigestSetting.objects.get(user=staff).frequency == "weekly"
    form = staff_client.get("/notifications/settings/").context["digest_form"]
    assert form.initial["frequency"] == "weekly"


@pytest.mark.parametrize("value", ["hourly", "", "<script>", "never\x00"])
def test_forged_choice_is_refused_and_nothing_saved(staff_client, staff, value):
    digest_frequency_set(user=staff, frequency="daily")
    response = staff_client.post("/notifications/settings/digest/", {"frequency": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "выберите «никогда», «раз в неделю» или «каждый день»" in html or (
        "Выберите, как часто присылать дайджест" in html
    )
    assert "<script>" not in html
    assert DigestSetting.objects.get(user=staff).frequency == "daily"


def test_choice_needs_post(staff_client):
    assert staff_client.get("/notifications/settings/digest/").status_code == 405


# --- what goes in ---------------------------------------------------------------------


@pytest.fixture
def world(db):
    root = make_section("Стандарты")
    child = make_section("Скрипты", parent=root)
    other = make_section("Кейсы")
    followed = make_article(child, title="Скрипт звонка <b>работодателю</b>")
    unfollowed = make_article(other, title="Чужой кейс")
    # Published well before the days the tests send for, whatever today is.
    Article.all_objects.filter(pk__in=[followed.pk, unfollowed.pk]).update(
        published_at=_moment(MONDAY - timedelta(days=20))
    )
    return {"root": root, "followed": followed, "unfollowed": unfollowed}


def test_digest_has_followed_updates_with_links_and_both_parts(world):
    anna = _person("anna", first_name="Анна")
    subscription_follow(user=anna, section=world["root"])
    _update(world["followed"], "Новый порядок <звонка>.", TUESDAY)
    _update(world["unfollowed"], "Не для Анны.", TUESDAY)
    run = _send()
    assert (run.sent, run.empty) == (1, 0)
    [letter] = mail.outbox
    assert letter.to == ["anna@szn.example"]
    assert letter.subject == "База знаний: что нового за 1 декабря 2026"
    assert "Здравствуйте, Анна!" in letter.body
    assert "Скрипт звонка работодателю" in letter.body
    assert "Что изменилось: Новый порядок <звонка>." in letter.body
    assert PORTAL + world["followed"].get_absolute_url() in letter.body
    assert "Не для Анны" not in letter.body
    html, mime = letter.alternatives[0]
    assert mime == "text/html"
    assert "Новый порядок &lt;звонка&gt;." in html
    assert f'href="{PORTAL}{world["followed"].get_absolute_url()}"' in html


def test_digest_has_mandatory_decisions_and_answers(world, editor):
    anna = _person("anna")
    mandatory_article(title="Регламент приёма")
    idea = make_idea(title="Кулер в зале ожидания")
    idea_vote_cast(idea=idea, user=anna)
    wg = make_user("wg2", role=ROLE_USERS["working_group"])
    decision_record(meeting=make_meeting(wg), idea=idea, outcome="accept", by=wg)
    question = question_ask(article=world["followed"], author=anna, text="Когда звонить?")
    answer_post(question=question, author=editor, text="С утра.")
    answer_post(question=question, author=anna, text="Спасибо")  # her own: not news to her
    with _ON_COMMIT(execute=True):
        run = digests_send(day=timezone.localdate())
    assert run.sent == 1
    body = mail.outbox[0].body
    assert "Регламент приёма" in body
    assert "Кулер в зале ожидания: принять" in body
    assert "Когда звонить?" in body
    assert f"#question-{question.pk}" in body


def test_read_mandatory_document_is_not_listed(world):
    from articles.services import article_acknowledge

    anna = _person("anna")
    document = mandatory_article(title="Регламент приёма")
    article_acknowledge(article=document, user=anna)
    run = _send()
    assert (run.sent, run.empty) == (0, 1)
    assert mail.outbox == []


def test_empty_digest_is_not_sent_but_recorded(world):
    _person("anna")
    run = _send()
    assert (run.people, run.sent, run.empty) == (1, 0, 1)
    assert mail.outbox == []
    assert DigestSent.objects.get().items == 0


def test_never_without_email_or_inactive_get_nothing(world):
    for user in [
        _person("never", DigestFrequency.NEVER),
        make_user("nomail", role=ROLE_USERS["staff"]),
        _person("gone", is_active=False),
    ]:
        subscription_follow(user=user, section=world["root"])
    digest_frequency_set(user=make_user("nomail2"), frequency="daily")
    _update(world["followed"], "Изменено.", TUESDAY)
    run = _send()
    assert run.people == 0
    assert mail.outbox == []


def test_rerun_the_same_day_sends_nothing(world):
    anna = _person("anna")
    subscription_follow(user=anna, section=world["root"])
    _update(world["followed"], "Изменено.", TUESDAY)
    assert _send().sent == 1
    second = _send()
    assert (second.sent, second.already) == (0, 1)
    assert len(mail.outbox) == 1


def test_next_digest_starts_where_the_last_ended(world):
    anna = _person("anna")
    subscription_follow(user=anna, section=world["root"])
    _update(world["followed"], "Изменено.", TUESDAY)
    _send()
    run = _send(day=TUESDAY + timedelta(days=1))
    assert (run.sent, run.empty) == (0, 1)  # the same update is not told twice


def test_a_stopped_run_is_resumed(world):
    people = [_person(f"p{i}") for i in range(5)]
    for person in people:
        subscription_follow(user=person, section=world["root"])
    _update(world["followed"], "Изменено.", TUESDAY)
    # A run that stopped after its first two batches of one.
    for person in people[:2]:
        DigestSent.objects.create(
            user=person,
            frequency="daily",
            period=TUESDAY,
            since=_moment(TUESDAY, 0),
            until=_moment(TUESDAY, 23),
            items=1,
        )
    run = _send(batch=2)
    assert (run.sent, run.already) == (3, 2)
    sent_to = sorted(letter.to[0] for letter in mail.outbox)
    assert sent_to == [f"p{i}@szn.example" for i in (2, 3, 4)]


def test_weekly_only_on_monday_and_covers_the_week(world):
    anna = _person("anna", DigestFrequency.WEEKLY)
    subscription_follow(user=anna, article=world["followed"])
    _update(world["followed"], "Изменено в среду.", MONDAY - timedelta(days=5))
    assert _send(day=TUESDAY).people == 0
    run = _send(day=MONDAY)
    assert run.sent == 1
    assert mail.outbox[0].subject == "База знаний: что нового за неделю (до 30 ноября 2026)"


def test_dry_run_records_and_sends_nothing(world):
    anna = _person("anna")
    subscription_follow(user=anna, section=world["root"])
    _update(world["followed"], "Изменено.", TUESDAY)
    run = _send(dry_run=True)
    assert run.sent == 1
    assert mail.outbox == []
    assert not DigestSent.objects.exists()


def _queries(day):
    with CaptureQueriesContext(connection) as context:
        _send(day=day)
    return len(context)


def test_queries_per_batch_do_not_grow_with_people(world):
    subscription_follow(user=_person("first"), section=world["root"])
    _update(world["followed"], "Изменено.", TUESDAY)
    _queries(TUESDAY)  # the section tree cached
    DigestSent.objects.all().delete()
    few = _queries(TUESDAY)
    for i in range(30):
        person = _person(f"more{i}")
        subscription_follow(user=person, section=world["root"])
        subscription_follow(user=person, article=world["unfollowed"])
    DigestSent.objects.all().delete()
    assert _queries(TUESDAY) == few


def test_command_prints_a_russian_summary(world):
    anna = _person("anna")
    subscription_follow(user=anna, section=world["root"])
    update = article_update_record(article=world["followed"], summary="Изменено.")
    ArticleUpdate.objects.filter(pk=update.pk).update(at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    with _ON_COMMIT(execute=True):
        call_command("send_digests", stdout=out)
    assert "писем: 1" in out.getvalue()
    assert len(mail.outbox) == 1
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "писем: 0" in out.getvalue()
    assert "уже отправлено раньше за этот день: 1" in out.getvalue()


def test_command_refuses_without_portal_url_and_bad_date(settings, db):
    settings.PORTAL_URL = ""
    with pytest.raises(CommandError, match="PORTAL_URL"):
        call_command("send_digests", stdout=StringIO())
    settings.PORTAL_URL = PORTAL
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        call_command("send_digests", "--date", "2026-13-01", stdout=StringIO())


def test_digest_has_what_is_targeted_at_the_position_without_following(world):
    """«Для вас»: an update of an article in a section targeted at the
    person's position reaches them though they follow nothing; a colleague
    of another position does not get it."""
    from articles.services import section_target_apply
    from people.audiences import AudienceSpec
    from people.models import Position, Profile

    employers = Position.objects.create(title="специалист по работе с работодателями")
    citizens = Position.objects.create(title="специалист по работе с гражданами")
    anna, boris = _person("anna"), _person("boris")
    Profile.objects.create(user=anna, position=employers)
    Profile.objects.create(user=boris, position=citizens)
    section_target_apply(section=world["root"], spec=AudienceSpec.of(positions=[employers]))
    _update(world["followed"], "Новый порядок звонка.", TUESDAY)
    run = _send()
    assert (run.sent, run.empty) == (1, 1)
    [letter] = mail.outbox
    assert letter.to == ["anna@szn.example"]
    assert "Новый порядок звонка." in letter.body
