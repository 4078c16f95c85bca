"""Demo data: the real section tree of the source document, articles,
offices and one user per role. Creating only what is missing makes the
command idempotent and keeps whatever people changed in the demo."""

from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from algorithms.demo import seed_algorithms
from articles.demo import seed_mandatory, seed_targeting
from articles.models import Article, Section
from articles.services import attachment_add
from cases.demo import seed_cases
from contributions.demo import seed_contributions
from events.demo import seed_events
from expert.demo import seed_expert
from feedback.demo import seed_feedback
from fixtures import demo_content
from fixtures.pdf import document_pdf
from fixtures.pictures import presentation_pptx, scene_png
from ideas.demo import seed_ideas
from kbimport.demo import seed_kb_import
from kbuse.demo import seed_kbuse
from onboarding.demo import seed_onboarding
from people import roles
from people.demo import seed_directory, seed_positions, seed_staff
from people.models import Office, Position, Profile
from proposals.demo import seed_proposals
from questions.demo import seed_questions
from search.services import search_index_articles
from updates.demo import seed_updates

FIXTURES = Path(demo_content.__file__).resolve().parent
DEMO_PASSWORD = "demo-parol-2026"  # noqa: S105 - printed for the demo on purpose

# One person per role, each with a place in the demo's offices; the contacts
# article (kontakty-rabochej-gruppy in fixtures/demo_content.py) names them
# with the same positions, offices, e-mails and phones.
DEMO_USERS = [
    # (login, role, first name, last name, position, office code, e-mail, phone)
    (
        "sotrudnik",
        roles.STAFF,
        "Анна",
        "Петрова",
        "специалист по работе с гражданами",
        "czn-samara-zheleznodorozhnyj",
        "a.petrova@czn-samara.example",
        "+7 846 000-00-21",
    ),
    (
        "redaktor",
        roles.EDITOR,
        "Елена",
        "Орлова",
        "редактор базы знаний",
        "uc",
        "e.orlova@czn-samara.example",
        "+7 846 000-00-12",
    ),
    (
        "rabgruppa",
        roles.WORKING_GROUP,
        "Игорь",
        "Смирнов",
        "член рабочей группы по клиентоцентричности",
        "uc",
        "i.smirnov@czn-samara.example",
        "+7 846 000-00-13",
    ),
    (
        "rukovoditel",
        roles.MANAGER,
        "Ольга",
        "Кузнецова",
        "начальник отдела клиентского опыта, руководитель рабочей группы",
        "uc",
        "o.kuznecova@czn-samara.example",
        "+7 846 000-00-11",
    ),
    (
        "rukovoditel-czn",
        roles.MANAGER,
        "Сергей",
        "Никитин",
        "руководитель ЦЗН",
        "czn-samara-zheleznodorozhnyj",
        "s.nikitin@czn-samara.example",
        "+7 846 000-00-20",
    ),
    (
        "administrator",
        roles.ADMINISTRATOR,
        "Павел",
        "Волков",
        "администратор портала",
        "uc",
        "p.volkov@czn-samara.example",
        "+7 846 000-00-14",
    ),
]
# What each demo login can be asked about (the staff directory, /people/): what
# the contacts table of the demo said before it became a link to the directory.
DEMO_EXPERTISE = {
    "sotrudnik": ["стандарт встречи клиента", "наставничество", "пособие по безработице"],
    "redaktor": ["база знаний", "ошибки в материалах", "актуализация материалов"],
    "rabgruppa": ["банк идей", "анкетирование", "заседания рабочей группы"],
    "rukovoditel": ["индекс клиентоцентричности", "график мероприятий", "приоритеты года"],
    "rukovoditel-czn": ["обращения клиентов", "индекс клиентоцентричности", "работодатели"],
    "administrator": ["доступ к порталу", "вход и пароль", "роли и права"],
}
# Generated documents say what they are: made up for the demonstration.
DEMO_FOOTER = "Демонстрационный документ базы знаний: текст составлен для примера"


@transaction.atomic
def seed_demo():
    """Create missing demo rows; return how many of each kind were created."""
    created = {"offices": 0, "users": 0, "sections": 0, "articles": 0, "attachments": 0}
    created["offices"] = _seed_offices(demo_content.OFFICES, parent=None)
    positions = seed_positions()
    users = _seed_users(created)
    editor = users["redaktor"]
    for spec in demo_content.SECTIONS:
        created["sections"] += _seed_section(spec, parent=None)
    articles = {}
    for spec in demo_content.ARTICLES:
        article, is_new = _seed_article(spec, owner=editor)
        articles[spec["slug"]] = article
        if is_new:
            created["articles"] += 1
            created["attachments"] += _seed_attachments(article, spec.get("attachments", []))
            article.tags.add(*spec.get("tags", []))
            _backdate(article, spec)
    for spec in demo_content.ARTICLES:
        article = articles[spec["slug"]]
        missing = [
            articles[slug]
            for slug in spec.get("related", [])
            if not article.related.filter(pk=articles[slug].pk).exists()
        ]
        if missing:
            article.related.add(*missing)
    if created["articles"]:
        # Demo articles are made directly, not through the admin: index them.
        search_index_articles(article_ids=[article.pk for article in articles.values()])
    created.update(seed_ideas(users))
    created.update(seed_feedback())
    # After the demo's responses: the default rules open cases on them.
    created.update(seed_cases())
    created.update(seed_contributions(users))
    created.update(seed_questions(users))
    created.update(seed_proposals(users))
    # Last: the generated staff are only counted by the reports (and must not
    # become recipients of what the demos above notify); their views lean on
    # the offices' CX index.
    created["positions"] = positions
    created["staff"] = seed_staff()
    seed_directory(DEMO_EXPERTISE)  # phones, addresses and subjects for /people/
    created.update(seed_mandatory(users))
    seed_targeting()
    created.update(seed_kbuse())
    created.update(seed_updates(users))  # «Что нового»: subscriptions, updates, digests
    created.update(seed_onboarding(users))  # after the generated staff: they get start dates
    created.update(seed_events())  # a month of events around today, with their reports
    created.update(seed_algorithms(users))  # decision trees of two service algorithms
    created.update(seed_expert())  # profiles of the client groups, journey maps of the routes
    created.update(seed_kb_import(users))  # drafts from a corporate disk's ZIP, for the editors
    return created


def _seed_offices(specs, parent):
    if isinstance(specs, dict):
        specs = [specs]
    count = 0
    for spec in specs:
        office = Office.objects.filter(code=spec["code"]).first()
        if office is None:
            office = Office.objects.create(
                code=spec["code"],
                title=spec["title"],
                kind=spec["kind"],
                city=spec.get("city", ""),
                parent=parent,
            )
            count += 1
        count += _seed_offices(spec.get("children", []), parent=office)
    return count


def _seed_users(created):
    users = {}
    for username, role, first, last, position, office, email, phone in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=email,
            )
            user.groups.add(Group.objects.get(name=role))
            Profile.objects.create(
                user=user,
                position=Position.objects.get_or_create(title=position)[0],
                office=Office.objects.get(code=office),
                phone=phone,
            )
            created["users"] += 1
        users[username] = user
    return users


def _seed_section(spec, parent):
    count = 0
    section = Section.all_objects.filter(slug=spec["slug"]).first()
    if section is None:
        section = Section.objects.create(
            slug=spec["slug"],
            title=spec["title"],
            description=spec.get("description", ""),
            parent=parent,
        )
        count += 1
    for child in spec.get("children", []):
        count += _seed_section(child, parent=section)
    return count


def _seed_article(spec, owner):
    article = Article.all_objects.filter(slug=spec["slug"]).first()
    if article is not None:
        return article, False
    now = timezone.now()
    approval = spec.get("approval") or {}
    article = Article.objects.create(
        section=Section.all_objects.get(slug=spec["section"]),
        slug=spec["slug"],
        title=spec["title"],
        summary=spec.get("summary", ""),
        body=spec.get("body", ""),
        kind=spec["kind"],
        lifecycle=spec.get("lifecycle", Article.Lifecycle.EVERGREEN),
        mandatory=spec.get("mandatory", False),
        approved_on=approval.get("date"),
        approval_number=approval.get("number", ""),
        external_url=spec.get("external_url", ""),
        status=Article.Status.PUBLISHED,
        owner=owner,
        review_due=(now + timedelta(days=spec.get("review_in_days", 180))).date(),
    )
    return article, True


def _backdate(article, spec):
    """Demo articles were published and updated in the past; set those dates
    last (adding attachments counts as an update) and without a history entry."""
    now = timezone.now()
    published = now - timedelta(days=spec.get("published_days_ago", 30))
    updated = max(published, now - timedelta(days=spec.get("updated_days_ago", 0)))
    Article.all_objects.filter(pk=article.pk).update(published_at=published, updated_at=updated)
    article.published_at, article.updated_at = published, updated


def _seed_attachments(article, specs):
    """Each spec gives a file from fixtures/ (``source``), or the ``text`` of a
    generated one: a PDF whose first line is its heading, or a plain text; or
    a generated ``picture`` (a scene of fixtures/pictures.py) or ``slides``."""
    for spec in specs:
        if "source" in spec:
            path = FIXTURES / spec["source"]
            filename, content = path.name, path.read_bytes()
        elif "picture" in spec:
            filename, content = spec["filename"], scene_png(spec["picture"])
        elif "slides" in spec:
            filename, content = spec["filename"], presentation_pptx(spec["slides"])
        elif spec["filename"].endswith(".pdf"):
            heading, _, body = spec["text"].partition("\n")
            filename = spec["filename"]
            content = document_pdf(
                heading, body.strip("\n"), title=spec.get("title", ""), footer=DEMO_FOOTER
            )
        else:
            filename, content = spec["filename"], spec["text"].encode("utf-8")
        attachment_add(
            article=article,
            upload=ContentFile(content, name=filename),
            title=spec.get("title", ""),
        )
    return len(specs)
