"""manage.py send_cx_reports: the monthly CX report of each office's head."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from cases.models import Case
from dashboards import services
from dashboards.models import CxReportSent
from feedback.models import FeedbackResponse
from feedback.topics import stored_comments_prepare, topics_reapply
from notifications.models import Kind, Notification
from notifications.services import preferences_set
from people.models import Profile
from tests.cases.factories import make_case
from tests.dashboards.conftest import make_head
from tests.dashboards.factories import BAD, GOOD, responses, save
from tests.factories import ROLE_USERS, make_user

FEB, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def second_of_april(monkeypatch):
    """The day the report is scheduled: March is the last complete month."""
    monkeypatch.setattr("dashboards.forms.today", lambda: dt.date(2026, 4, 2))


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_HOST = "mail.example.ru"
    settings.PORTAL_URL = "https://kb.szn.local/"


def _with_email(user, email):
    user.email = email
    user.save()
    return user


@pytest.fixture
def seeded(region, manager):
    """«ЦЗН Первый»: March 30 answers — 24 good (3 of them waited too long),
    6 bad with a comment about the queue; February 30 good. «Южный отдел»:
    March 30 bad, a comment about a rude guard. Cases in both."""
    first, south = region["first"], region["south"]
    save(
        responses(first, 21, **GOOD),
        responses(first, 3, **{**GOOD, "waiting": 1}),
        responses(first, 6, **BAD, comment="Долго ждала в очереди"),
        responses(first, 30, month=FEB, **GOOD),
        responses(south, 30, **BAD, comment="Грубый охранник на входе"),
    )
    stored_comments_prepare(FeedbackResponse)
    topics_reapply()
    make_case(first, due_date=dt.date(2026, 3, 20))  # open, overdue
    make_case(
        first,
        status=Case.Status.RESOLVED,
        action_taken="Позвонили клиенту",
        created_at=dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC),
        closed_at=dt.datetime(2026, 3, 12, 10, tzinfo=dt.UTC),
        due_date=dt.date(2026, 3, 17),
    )
    make_case(south)
    make_case(south)
    return {
        **region,
        "head": _with_email(make_head(region["first"], "head-first"), "first@example.ru"),
        "south_head": _with_email(make_head(region["south"], "head-south"), "south@example.ru"),
        "regional": _with_email(manager, "region@example.ru"),
        "no_office": _with_email(make_user(role=ROLE_USERS["manager"]), "none@example.ru"),
        "staff": _with_email(make_user(role=ROLE_USERS["staff"]), "staff@example.ru"),
    }


def _send(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.cx_reports_send(**kwargs)


def _letter(email):
    letters = [letter for letter in mail.outbox if letter.to == [email]]
    assert len(letters) == 1, [letter.to for letter in mail.outbox]
    letter = letters[0]
    html = {kind: body for body, kind in letter.alternatives}["text/html"]
    return letter, html


def test_the_letter_says_the_offices_figures(seeded, mail_on, django_capture_on_commit_callbacks):
    run = _send(django_capture_on_commit_callbacks)
    assert (run.month, run.heads, run.sent, run.already) == (MARCH, 3, 3, 0)
    letter, html = _letter("first@example.ru")
    assert letter.subject == "Клиентский опыт за март 2026: ЦЗН Первый"
    link = f"https://kb.szn.local/dashboards/cx/?period=month&month=2026-03&office={seeded['first'].pk}"
    for text in (letter.body, html):
        assert "Клиентский опыт за март 2026" in text
        assert "ЦЗН Первый и входящие в него подразделения" in text
        # Each share 24 of 30 = 80 %; K = (80 + 70 + 80) / 3; the index the mean of five.
        assert "79,3" in text and "★★★☆☆" in text and "3 звезды из 5" in text
        assert "К прошлому месяцу (февраль 2026: 100,0): −20,7 п. п." in text
        assert "Ответов: 30; 95% ДИ:" in text
        assert "F — Дружелюбие и партнёрство" in text
        assert "K — Комфорт и удобство" in text and "76,7" in text
        assert "Слабее всего: время ожидания — 70,0 % (группа K — комфорт и удобство)." in text
        assert "открыто сейчас 1, из них просрочено 1; закрыто за месяц 1, в срок 100 %" in text
        assert "Очередь и ожидание: комментариев 6, 20,0 % ответов, негативных 100 %" in text
    assert letter.body.rstrip().endswith(f"Открыть на портале: {link}")
    assert f'href="{link.replace("&", "&amp;")}"' in html
    note = Notification.objects.get(recipient=seeded["head"])
    assert note.kind == Kind.CX_REPORT
    assert note.url == link.removeprefix("https://kb.szn.local")
    assert note.text == (
        "Отчёт о клиентском опыте за март 2026: ЦЗН Первый — индекс 79,3 ★★★☆☆, "
        "−20,7 п. п. к прошлому месяцу."
    )


def test_the_link_opens_the_dashboard_on_the_office_and_month(
    seeded, mail_on, django_capture_on_commit_callbacks, client_for
):
    _send(django_capture_on_commit_callbacks)
    url = Notification.objects.get(recipient=seeded["head"]).url
    report = client_for(seeded["head"]).get(url).context["report"]
    assert report.office == seeded["first"]
    assert (report.filters.period.start, report.filters.period.end) == (MARCH, MARCH)
    assert round(report.cx.value, 1) == 79.3


def test_the_regional_manager_gets_the_regions_report(
    seeded, mail_on, django_capture_on_commit_callbacks
):
    _send(django_capture_on_commit_callbacks)
    letter, _html = _letter("region@example.ru")
    assert "Управляющий центр — весь регион" in letter.body
    assert "Ответов: 60;" in letter.body
    assert "открыто сейчас 3, из них просрочено 1" in letter.body
    assert letter.body.rstrip().endswith("/dashboards/cx/?period=month&month=2026-03")


def test_a_head_of_one_office_never_gets_anothers_figures(
    seeded, mail_on, django_capture_on_commit_callbacks
):
    _send(django_capture_on_commit_callbacks)
    first, first_html = _letter("first@example.ru")
    south, south_html = _letter("south@example.ru")
    for text in (south.body, south_html, south.subject):
        assert "ЦЗН Первый" not in text
        assert "Очередь и ожидание" not in text
        assert "79,3" not in text
    assert "Южный отдел и входящие в него подразделения" in south.body
    assert "Ответов: 30;" in south.body and "★☆☆☆☆" in south.body
    assert "открыто сейчас 2, из них просрочено 0" in south.body
    assert "Вежливость и отношение" in south.body  # «грубый»
    for text in (first.body, first_html):
        assert "Южный" not in text and "Вежливость" not in text


def test_a_second_run_sends_nothing_again(seeded, mail_on, django_capture_on_commit_callbacks):
    _send(django_capture_on_commit_callbacks)
    letters, notes = len(mail.outbox), Notification.objects.count()
    assert letters == 3
    run = _send(django_capture_on_commit_callbacks)
    assert (run.sent, run.already) == (0, 3)
    assert len(mail.outbox) == letters
    assert Notification.objects.count() == notes
    assert set(CxReportSent.objects.values_list("user__username", "month", "office")) == {
        ("head-first", MARCH, seeded["first"].pk),
        ("head-south", MARCH, seeded["south"].pk),
        ("manager", MARCH, seeded["centre"].pk),
    }


def test_a_run_that_lost_the_race_sends_nothing(
    seeded, mail_on, django_capture_on_commit_callbacks
):
    """Another run recorded the person after this one read who was told."""
    CxReportSent.objects.create(user=seeded["head"], month=MARCH, office=seeded["first"])
    with django_capture_on_commit_callbacks(execute=True):
        told = services._tell(
            user_id=seeded["head"].pk,
            office=seeded["first"],
            month=MARCH,
            url="/dashboards/cx/",
            subject="x",
            text="x",
            email_text="x",
            email_html="<p>x</p>",
        )
    assert told is False
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_manager_without_an_office_and_other_staff_get_nothing(
    seeded, mail_on, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=seeded["staff"], office=seeded["first"])
    _send(django_capture_on_commit_callbacks)
    for person in ("no_office", "staff"):
        assert not Notification.objects.filter(recipient=seeded[person]).exists()
        assert not CxReportSent.objects.filter(user=seeded[person]).exists()
    assert {letter.to[0] for letter in mail.outbox} == {
        "first@example.ru",
        "south@example.ru",
        "region@example.ru",
    }


def test_e_mail_turned_off_leaves_the_notification(
    seeded, mail_on, django_capture_on_commit_callbacks
):
    preferences_set(user=seeded["head"], email_kinds=[])
    _send(django_capture_on_commit_callbacks)
    assert "first@example.ru" not in [letter.to[0] for letter in mail.outbox]
    assert Notification.objects.filter(recipient=seeded["head"], kind=Kind.CX_REPORT).exists()


def test_names_are_escaped_in_the_html_and_plain_in_the_text(
    seeded, mail_on, django_capture_on_commit_callbacks
):
    office = seeded["first"]
    office.title = 'ЦЗН <b>«Первый»</b> & "Ко"'
    office.save()
    _send(django_capture_on_commit_callbacks)
    letter, html = _letter("first@example.ru")
    assert 'ЦЗН <b>«Первый»</b> & "Ко" и входящие' in letter.body
    assert "<b>" not in html
    assert "ЦЗН &lt;b&gt;«Первый»&lt;/b&gt; &amp; &quot;Ко&quot;" in html


def test_the_default_month_is_the_last_complete_one(
    seeded, mail_on, django_capture_on_commit_callbacks, monkeypatch
):
    # Mid-March, March is still running: the report is February's.
    monkeypatch.setattr("dashboards.forms.today", lambda: dt.date(2026, 3, 15))
    run = _send(django_capture_on_commit_callbacks)
    assert run.month == FEB
    letter, _html = _letter("first@example.ru")
    assert "Клиентский опыт за февраль 2026" in letter.subject
    with pytest.raises(services.ReportMonthNotComplete):
        services.cx_reports_send(month=MARCH)


def test_a_month_without_any_answers_is_not_sent_and_not_recorded(
    seeded, mail_on, django_capture_on_commit_callbacks
):
    run = _send(django_capture_on_commit_callbacks, month=dt.date(2026, 1, 1))
    assert run.no_data and run.sent == 0
    assert not CxReportSent.objects.exists() and not Notification.objects.exists()


def test_a_head_whose_office_had_no_answers_is_told_so(
    seeded, mail_on, django_capture_on_commit_callbacks
):
    _with_email(make_head(seeded["second"], "head-second"), "second@example.ru")
    _send(django_capture_on_commit_callbacks)
    letter, html = _letter("second@example.ru")
    assert "За март 2026 ответов клиентов нет." in letter.body
    assert "Индекс клиентоцентричности:" not in letter.body
    assert "ответов клиентов нет" in html


def test_dry_run_counts_and_writes_nothing(seeded, mail_on, django_capture_on_commit_callbacks):
    run = _send(django_capture_on_commit_callbacks, dry_run=True)
    assert (run.heads, run.sent) == (3, 3)
    assert not CxReportSent.objects.exists() and not Notification.objects.exists()
    assert mail.outbox == []


def test_the_command_says_what_it_did_in_russian(seeded, mail_on):
    out = StringIO()
    call_command("send_cx_reports", stdout=out)
    assert out.getvalue().splitlines() == [
        "Отчёты о клиентском опыте за март 2026.",
        "  руководителей с подразделением: 3",
        "  отправлено сейчас: 3",
        "  получили раньше: 0",
    ]
    out = StringIO()
    call_command("send_cx_reports", "--month", "2026-02", stdout=out)
    assert "Отчёты о клиентском опыте за февраль 2026." in out.getvalue()
    assert "  отправлено сейчас: 3" in out.getvalue()


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-13", "Месяц «2026-13» не распознан: укажите его как ГГГГ-ММ, например 2026-03."),
        ("март", "Месяц «март» не распознан"),
        ("2026-4", "Месяц «2026-4» не распознан"),
        ("2026-04", "Месяц апрель 2026 ещё не закончился"),
    ],
)
def test_the_command_refuses_a_bad_month(seeded, month, message):
    with pytest.raises(CommandError, match=message):
        call_command("send_cx_reports", "--month", month, stdout=StringIO())
    assert not CxReportSent.objects.exists()


def test_the_command_without_feedback_says_so(db):
    out = StringIO()
    call_command("send_cx_reports", stdout=out)
    assert out.getvalue().strip() == "Ответов клиентов нет: отчёты не отправлены."
