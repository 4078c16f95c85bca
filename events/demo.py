"""The demo's events: a month of them around today (timezone.localdate()),
past and upcoming — trainings, meetings of the working group, a strategic
session, a contest, a flash mob — with audiences, organisers, materials,
and the photo and video reports of past ones. Runs once: a second run finds
the first event and changes nothing."""

from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import Article
from events.models import Event
from events.services import event_audience_apply
from people import roles
from people.audiences import AudienceSpec
from people.demo import position
from people.models import Office

ONLINE = "https://vks.szn-samara.example/room/"

# (days from today, start "HH:MM" or None for all day, duration in hours or
# days for all-day events, kind, title, place, online room or "", organiser
# login, organiser office code, audience (offices, positions, roles),
# material slugs, report slug, description)
EVENTS = [
    (
        -26,
        "10:00",
        7,
        Event.Kind.SESSION,
        "Стратегическая сессия «Клиентский опыт — 2026»",
        "г. Самара, ул. Галактионовская, 157, большой зал",
        "",
        "rabgruppa",
        "uc",
        ((), (), ()),
        ["kodeks-klientocentrichnosti-szn-samarskoj-oblasti", "chto-takoe-klientskij-opyt"],
        "videootchet-strategicheskoj-sessii",
        "<p>Руководители ТО и ЦЗН договариваются о целях года по клиентскому опыту: что "
        "улучшаем, как измеряем, кто отвечает.</p>",
    ),
    (
        -21,
        None,
        5,
        Event.Kind.CAMPAIGN,
        "Флешмоб «Мыслим клиентоцентрично»",
        "Все ЦЗН региона",
        "",
        "rabgruppa",
        "uc",
        ((), (), ()),
        ["grafik-meropriyatij-po-klientocentrichnosti-2026"],
        "fotootchet-fleshmob-myslim-klientocentrichno",
        "<p>За неделю каждая команда выбирает одну «боль» клиента и устраняет её своими силами. "
        "Фото «до» и «после» — в фотоотчёте.</p>",
    ),
    (
        -13,
        "14:00",
        2,
        Event.Kind.MEETING,
        "Заседание рабочей группы: Банк идей",
        "г. Самара, ул. Галактионовская, 157, каб. 305",
        "rabochaya-gruppa",
        "rabgruppa",
        "uc",
        ((), (), (roles.WORKING_GROUP, roles.MANAGER)),
        ["faq-kak-predlozhit-ideyu"],
        None,
        "<p>Повестка: идеи, ожидающие рассмотрения дольше 30 дней, и идеи с наибольшим числом "
        "голосов.</p>",
    ),
    (
        -8,
        "10:00",
        3,
        Event.Kind.TRAINING,
        "Обучение «Скрипты и сложные разговоры»: группа 1",
        "ЦЗН Железнодорожного района г. Самары, учебный класс",
        "",
        "redaktor",
        "to-samara-zhd",
        ((), ("специалист по работе с гражданами", "консультант"), ()),
        ["skript-telefonnogo-razgovora", "skript-razgovor-s-nedovolnym-klientom"],
        None,
        "<p>Практикум для первой линии: трудный разговор, недовольный клиент, звонок, на "
        "который нельзя ответить сразу.</p><ul><li>Возьмите с собой свои примеры.</li></ul>",
    ),
    (
        -3,
        "11:00",
        1.5,
        Event.Kind.TRAINING,
        "Вебинар: как читать индекс клиентоцентричности",
        "",
        "indeks",
        "rabgruppa",
        "uc",
        ((), (), (roles.MANAGER,)),
        ["metodika-indeksa-klientocentrichnosti", "videoinstrukciya-dashbord-indeksa"],
        None,
        "<p>Пять групп индекса, звёзды, доверительный интервал и почему срез меньше 30 ответов "
        "не сравнивают.</p>",
    ),
    (
        0,
        "15:00",
        1,
        Event.Kind.MEETING,
        "Разбор обращений недели: ТО г. Самары (Железнодорожный)",
        "",
        "razbor-to-samara",
        "rukovoditel-czn",
        "to-samara-zhd",
        (("to-samara-zhd",), (), ()),
        [],
        None,
        "<p>Обращения к разбору за неделю: что случилось, что сделали, что меняем.</p>",
    ),
    (
        2,
        "10:00",
        3,
        Event.Kind.TRAINING,
        "Обучение «Скрипты и сложные разговоры»: группа 2",
        "ЦЗН Автозаводского района г. Тольятти, учебный класс",
        "",
        "redaktor",
        "to-tolyatti",
        (("to-tolyatti",), ("специалист по работе с гражданами", "консультант"), ()),
        ["skript-telefonnogo-razgovora", "skript-razgovor-s-nedovolnym-klientom"],
        None,
        "<p>Вторая группа практикума — для специалистов ЦЗН г. Тольятти.</p>",
    ),
    (
        5,
        None,
        1,
        Event.Kind.OTHER,
        "День открытых дверей для работодателей",
        "ЦЗН Железнодорожного района г. Самары",
        "",
        "",
        "czn-samara-zheleznodorozhnyj",
        ((), (), ()),
        ["standart-gosudarstvo-dlya-biznesa", "ecp-soprovozhdenie-vakansii-rabotodatelya"],
        None,
        "<p>Работодатели района знакомятся с сервисами ЕЦП «Работа России» и с тем, как центр "
        "подбирает кандидатов.</p>",
    ),
    (
        9,
        "14:00",
        2,
        Event.Kind.MEETING,
        "Заседание рабочей группы: решения по идеям месяца",
        "г. Самара, ул. Галактионовская, 157, каб. 305",
        "rabochaya-gruppa",
        "rabgruppa",
        "uc",
        ((), (), (roles.WORKING_GROUP, roles.MANAGER)),
        ["faq-kak-predlozhit-ideyu"],
        None,
        "<p>Решения по идеям, набравшим голоса, и отчёт о внедрённых улучшениях.</p>",
    ),
    (
        12,
        "10:00",
        7,
        Event.Kind.SESSION,
        "Стратегическая сессия «Путь клиента-студента»",
        "ЦЗН Центрального района г. Тольятти",
        "put-studenta",
        "rabgruppa",
        "to-tolyatti",
        ((), (), ()),
        ["put-klienta-studenta", "kak-postroit-kartu-puti-klienta"],
        None,
        "<p>Проходим путь студента шаг за шагом, отмечаем болевые точки и договариваемся, что "
        "апробируем в сентябре.</p>",
    ),
    (
        16,
        "11:00",
        1.5,
        Event.Kind.TRAINING,
        "Вебинар «Бережливое производство в ЦЗН: 5S на рабочем месте»",
        "",
        "5s",
        "redaktor",
        "uc",
        ((), (), ()),
        ["metod-5s-na-rabochem-meste", "berezhlivoe-proizvodstvo-v-czn-vvodnaya-prezentaciya"],
        None,
        "<p>Как навести порядок на рабочем месте за пять шагов и удержать его.</p>",
    ),
    (
        20,
        None,
        2,
        Event.Kind.CONTEST,
        "Конкурс кейсов «Лучшее улучшение года»: очный этап",
        "г. Самара, ул. Галактионовская, 157, большой зал",
        "konkurs",
        "rabgruppa",
        "uc",
        ((), (), ()),
        ["kejs-sokrashchenie-ozhidaniya-tolyatti", "kejs-vyezdnoj-priem-kamyshlinskij-rajon"],
        None,
        "<p>Команды ЦЗН защищают свои кейсы; жюри — рабочая группа. Трансляция для всех.</p>",
    ),
    (
        25,
        "09:30",
        2,
        Event.Kind.TRAINING,
        "Первые недели специалиста: встреча новичков",
        "",
        "novichki",
        "redaktor",
        "uc",
        ((), ("специалист по работе с гражданами",), ()),
        ["deklaraciya-cennostej-klientocentrichnosti", "standart-vstrechi-klienta-v-czn"],
        None,
        "<p>Для тех, кто работает первые месяцы: вопросы, ответы и «Путь новичка».</p>",
    ),
]


def _moment(day, clock):
    hours, minutes = (int(part) for part in clock.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)))


def seed_events():
    """Create the demo's events once; return how many were created."""
    if Event.all_objects.filter(title=EVENTS[0][4]).exists():
        return {"events": 0}
    today = timezone.localdate()
    offices = {office.code: office for office in Office.objects.all()}
    users = {user.username: user for user in User.objects.filter(username__in=_logins())}
    slugs = {slug for spec in EVENTS for slug in [*spec[10], spec[11]] if slug}
    articles = {article.slug: article for article in Article.objects.filter(slug__in=slugs)}
    created = 0
    for spec in EVENTS:
        days, clock, length, kind, title, place, room, login, office, audience = spec[:10]
        materials, report, description = spec[10:]
        day = today + timedelta(days=days)
        if clock is None:
            starts_at = _moment(day, "00:00")
            ends_at = _moment(day + timedelta(days=length - 1), "23:59")
        else:
            starts_at = _moment(day, clock)
            ends_at = starts_at + timedelta(hours=length)
        event = Event.objects.create(
            title=title,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            all_day=clock is None,
            place=place,
            online_url=ONLINE + room if room else "",
            organiser_user=users.get(login),
            organiser_office=offices.get(office),
            description=description,
            report=articles.get(report) if report else None,
        )
        event.materials.set([articles[slug] for slug in materials if slug in articles])
        office_codes, positions, role_names = audience
        event_audience_apply(
            event=event,
            spec=AudienceSpec.of(
                offices=[offices[code] for code in office_codes if code in offices],
                positions=[position(title) for title in positions],
                roles=Group.objects.filter(name__in=role_names),
            ),
        )
        created += 1
    return {"events": created}


def _logins():
    return {spec[7] for spec in EVENTS if spec[7]}
