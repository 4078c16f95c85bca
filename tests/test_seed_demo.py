"""The demo data: the source document's structure, and a second run changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from articles.models import Article, Attachment, Section
from kb_portal.demo import DEMO_PASSWORD, DEMO_USERS
from people import roles
from people.demo import STAFF_PREFIX
from people.models import Office

TOP_SECTIONS = [
    "Внедряемые проекты",
    "Управление клиентским опытом",
    "Работа на ЕЦП «Работа России»",
    "Бережливое производство",
]
CX_SECTIONS = [
    "Введение в систему клиентского опыта",
    "Кодекс клиентоцентричности",
    "Профили клиентских групп",
    "Маршруты клиентских групп",
    "Анкетирование",
    "Мероприятия по клиентоцентричности",
    "Алгоритмы оказания услуг",
    "Индекс клиентоцентричности",
    "Рекомендуемая литература",
]


def _seed():
    out = StringIO()
    call_command("seed_demo", allow_production=True, stdout=out)
    return out.getvalue()


def _row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
    }


def _snapshot():
    return {
        "counts": _row_counts(),
        "articles": sorted(
            Article.all_objects.values_list(
                "slug", "updated_at", "published_at", "modified_at", "version", "content_hash"
            )
        ),
        "sections": sorted(Section.all_objects.values_list("slug", "modified_at", "lft", "rght")),
        "attachments": sorted(Attachment.objects.values_list("file", "size")),
        "passwords": sorted(User.objects.values_list("username", "password")),
    }


@pytest.fixture
def seeded(db):
    return _seed()


def test_second_run_changes_nothing(seeded):
    before = _snapshot()
    assert before["counts"]["articles.Article"] > 20
    assert before["counts"]["articles.HistoricalArticle"] > 0
    output = _seed()
    assert _snapshot() == before
    assert (
        "Создано — подразделений: 0, пользователей: 0, разделов: 0, материалов: 0, вложений: 0, "
        "идей: 0, голосов: 0, комментариев: 0, заседаний: 0, решений: 0, услуг: 0, "
        "отзывов клиентов: 0, операционных показателей: 0, обращений к разбору: 0, "
        "оценок полезности: 0, проверок актуальности: 0, напоминаний об актуализации: 0, "
        "вопросов: 0, ответов: 0, сообщений о неточностях: 0, предложений: 0, должностей: 0, "
        "сотрудников (для отчётов): 0, отметок об ознакомлении: 0, повторных ознакомлений: 0, "
        "напоминаний об ознакомлении: 0, "
        "счётчиков просмотров: 0, подписок: 0, существенных изменений: 0, путей новичка: 0, "
        "отметок «изучено» на пути новичка: 0, мероприятий: 0, узлов алгоритмов: 0, "
        "профилей клиентских групп и карт пути клиента: 0, "
        "материалов из импорта общего диска: 0." in output
    )


def test_second_run_restores_only_what_is_missing(seeded):
    Article.objects.order_by("id").first().delete()
    counts = _row_counts()
    output = _seed()
    assert "материалов: 1," in output
    assert _row_counts()["articles.Article"] == counts["articles.Article"] + 1


def test_demo_has_the_source_documents_section_tree(seeded):
    roots = Section.objects.filter(parent=None).order_by("tree_id", "lft")
    assert list(roots.values_list("title", flat=True)) == TOP_SECTIONS
    cx = Section.objects.get(title="Управление клиентским опытом")
    children = list(cx.get_children().values_list("title", flat=True))
    assert children[:9] == CX_SECTIONS
    # The information blocks the document lists, and the client paths.
    for title in [
        "Обязательные документы «Государство для людей»",
        "Региональные стандарты, инструкции и скрипты",
        "Кейсы",
        "Часто задаваемые вопросы",
        "Полезные контакты",
        "Полезные ссылки",
        "Конструктор клиентского опыта",
    ]:
        assert title in children, title
    constructor = Section.objects.get(title="Конструктор клиентского опыта")
    assert constructor.get_children().count() == 5


def test_demo_has_one_user_per_role_who_can_log_in(seeded, client):
    for role in roles.ALL_ROLES:
        users = User.objects.filter(groups__name=role).exclude(username__startswith=STAFF_PREFIX)
        # One per role; and a second Руководитель, of one job centre only.
        assert users.count() == (2 if role == roles.MANAGER else 1), role
        for user in users:
            assert user.check_password(DEMO_PASSWORD)
            assert user.profile.office is not None
            assert user.username in seeded  # the command prints the logins
    head = User.objects.get(username="rukovoditel-czn").profile
    assert (head.office.kind, head.office.is_leaf_node()) == ("job_centre", True)
    assert DEMO_PASSWORD in seeded
    response = client.post(
        "/accounts/login/", {"username": "sotrudnik", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].username == "sotrudnik"


def test_demo_articles_are_published_with_tags_links_and_files(seeded):
    published = Article.objects.published()
    # All but the drafts of the demo's import, which wait for an editor.
    assert published.count() == Article.all_objects.exclude(status="draft").count()
    assert Article.all_objects.filter(status="draft").count() == 8
    assert published.filter(tags__isnull=False).distinct().count() >= 10
    assert published.filter(related__isnull=False).distinct().count() >= 5
    assert Attachment.objects.count() >= 2
    assert published.filter(mandatory=True).exists()
    assert Office.objects.filter(parent=None).count() == 1


def test_demo_pages_render(seeded, client):
    client.force_login(User.objects.get(username="sotrudnik"))
    assert client.get("/").status_code == 200
    for section in Section.objects.all():
        assert client.get(section.get_absolute_url()).status_code == 200, section.slug
    for article in Article.objects.published().select_related("section"):
        assert client.get(article.get_absolute_url()).status_code == 200, article.slug
    for attachment in Attachment.objects.filter(article__status="published"):
        assert client.get(attachment.get_absolute_url()).status_code == 200
    # The imported drafts: for editors, not for staff.
    draft = Article.objects.filter(status="draft").select_related("section").first()
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(User.objects.get(username="redaktor"))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_demo_imports_the_corporate_disk_zip(seeded, client):
    from kbimport.models import KbImportBatch

    batch = KbImportBatch.objects.get()
    assert (batch.status, batch.articles_created, batch.created_by.username) == (
        "imported",
        8,
        "administrator",
    )
    disk = Section.objects.get(title="Общий диск ЦЗН")
    assert disk.parent.title == "Управление клиентским опытом"
    assert [s.title for s in disk.get_children()] == [
        "Нормативные документы",
        "Методические материалы",
        "Клиентские группы",  # its names are CP866 in the ZIP
    ]
    assert Article.objects.filter(section__title="Клиентские группы").count() == 2
    client.force_login(User.objects.get(username="administrator"))
    assert "Общий диск ЦЗН" in client.get(f"/kb-import/{batch.pk}/").content.decode()


def test_refuses_to_run_in_production_without_flag(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_articles_are_found_by_search(client):
    _seed()
    client.force_login(User.objects.get(username="sotrudnik"))
    # An article without attachments: only seed_demo's own indexing finds it.
    response = client.get("/search/", {"q": "стандарт внутреннего клиента"})
    assert response.status_code == 200
    titles = [result.article.title for result in response.context["page"]]
    assert titles[0] == "Стандарт внутреннего клиента"


def test_demo_has_overdue_articles_with_reminders_sent_and_a_review(seeded):
    from datetime import timedelta

    from django.utils import timezone

    from contributions.models import Review, ReviewReminder
    from notifications.models import Kind, Notification

    today = timezone.localdate()
    overdue = Article.objects.published().filter(review_due__lt=today)
    assert overdue.count() >= 2
    assert overdue.filter(review_due__lt=today - timedelta(days=30)).exists()
    stages = set(ReviewReminder.objects.filter(article__in=overdue).values_list("stage", flat=True))
    assert stages >= {"overdue", "escalation"}
    # Sent on the days the daily job would have run, not all today.
    assert ReviewReminder.objects.exclude(sent_on=today).exists()
    escalations = Notification.objects.filter(kind=Kind.REVIEW_ESCALATION)
    assert escalations.exists()
    assert all(n.created_at.date() < today for n in escalations)
    assert Notification.objects.filter(
        recipient__username="redaktor", kind=Kind.REVIEW_DUE
    ).exists()
    reviewed = Review.objects.get().article
    assert reviewed not in overdue


def test_demo_has_the_regions_staff_with_positions_and_mandatory_reading(seeded):
    from articles.models import Acknowledgement, AcknowledgementRound, MandatoryReminder
    from articles.report import build_report
    from people.models import Profile
    from people.scopes import Scope

    generated = User.objects.filter(username__startswith=STAFF_PREFIX)
    assert 550 <= generated.count() <= 650
    assert not any(user.has_usable_password() for user in generated)  # counted, never logged in
    # Every demo person has an office and a position from the reference list.
    assert not Profile.objects.filter(position__isnull=True).exists()
    assert not Profile.objects.filter(office__isnull=True).exists()
    logins = {login: position for login, _role, _f, _l, position, *_rest in DEMO_USERS}
    for login, position in logins.items():
        assert User.objects.get(username=login).profile.position.title == position
    for title in [
        "специалист по работе с работодателями",
        "специалист по профобучению",
        "консультант",
        "руководитель ЦЗН",
        "специалист по работе с гражданами",
        "психолог",
        "юрист",
        "специалист по социальным выплатам",
    ]:
        assert Profile.objects.filter(position__title=title).count() >= 5, title
    mandatory = Article.objects.published().filter(mandatory=True)
    assert mandatory.filter(mandatory_audience__isnull=False).count() >= 4
    assert mandatory.filter(mandatory_deadline__isnull=False).count() >= 5
    assert AcknowledgementRound.objects.count() == 1
    assert Acknowledgement.objects.filter(
        article_version__lt=AcknowledgementRound.objects.get().article_version,
        article=AcknowledgementRound.objects.get().article,
    ).exists()  # the marks for the version before the round stay
    assert MandatoryReminder.objects.exists()
    code = mandatory.get(slug="kodeks-klientocentrichnosti-szn-samarskoj-oblasti")
    report = build_report(scope=Scope(everything=True), article=code)
    centres = [row for row in report.offices if row.own.audience and not row.has_children]
    shares = {row.own.read_share for row in centres}
    assert 0 in shares and 100 in shares  # some job centres have read nothing, some all
    assert any(0 < share < 100 for share in shares)  # and some part
    assert report.total.late > 0  # the deadline has passed; some read it after


def test_demo_targets_materials_so_the_staff_member_sees_for_you(seeded, client):
    from articles.targeting import for_you

    assert Section.objects.filter(target_audience__isnull=False).count() >= 4
    assert Article.objects.filter(target_audience__isnull=False).count() >= 2
    sotrudnik = User.objects.get(username="sotrudnik")
    titles = set(for_you(sotrudnik).values_list("slug", flat=True))
    assert "skript-razgovor-s-nedovolnym-klientom" in titles  # her department's subtree
    assert "profil-soiskatel" in titles  # a section for her position
    assert "standart-gosudarstvo-dlya-biznesa" not in titles  # for employer specialists
    client.force_login(sotrudnik)
    assert "Для вас" in client.get("/").content.decode()
    employers = User.objects.filter(
        profile__position__title="специалист по работе с работодателями"
    ).first()
    assert "standart-gosudarstvo-dlya-biznesa" in set(
        for_you(employers).values_list("slug", flat=True)
    )
