"""Demo ideas, votes, comments and past meetings of the working group.

Everything is created through the same services the pages use (so counts,
history and notifications are as in real life), then dated back. An idea is
recognised by its title and a meeting by its minutes, so a second run
creates nothing and a deleted idea comes back on the next run.

Three accepted ideas are implemented. Two of them a month ago, too recently
for a complete month after; the third (``STORY``) half a year ago in the
job centre of its author (sotrudnik: ЦЗН Железнодорожного района), whose
CX index in the demo feedback is higher in the three months after than in
the three before — the region-wide improvement of ``feedback.demo``
(``REFORM_MONTHS``) begins the month it was implemented. The feedback demo
has no story of its own for this office; the figures are its usual ones.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from articles.models import Article
from dashboards.forms import add_months, this_month
from ideas import services
from ideas.models import Comment, Decision, Idea, Implementation, ReviewMeeting, Vote
from notifications.models import Notification

ALL = ("sotrudnik", "redaktor", "rabgruppa", "rukovoditel", "administrator")

# title, problem, proposal, expected effect, tags, author, days ago, voters
IDEAS = [
    (
        "Электронная очередь с SMS о приближении очереди",
        "Клиенты часами ждут в коридоре и боятся отойти, чтобы не пропустить вызов.",
        "Подключить к электронной очереди SMS-уведомление за 3 человека до вызова.",
        "Меньше жалоб на ожидание, клиенты могут выйти и вернуться вовремя.",
        ["ожидание", "электронная очередь"],
        "sotrudnik",
        70,
        ALL,
    ),
    (
        "Памятка «Первый визит в ЦЗН» на одной странице",
        "Новые соискатели приходят без нужных документов и приходят повторно.",
        "Сделать одностраничную памятку: какие документы взять, сколько займёт приём, "
        "что будет дальше.",
        "Меньше повторных визитов из-за недостающих документов.",
        ["памятка", "первичный приём"],
        "redaktor",
        68,
        ("sotrudnik", "rabgruppa", "rukovoditel"),
    ),
    (
        "Отдельный вход для маломобильных клиентов в ЦЗН Заречного района",
        "Пандус есть только со двора, и о нём никто не знает.",
        "Перенести пандус к главному входу.",
        "Доступность для клиентов с инвалидностью.",
        ["доступная среда"],
        "rukovoditel",
        66,
        ("sotrudnik",),
    ),
    (
        "Скрипт ответа на звонок без «переключаю на другого специалиста»",
        "Звонящих по 3–4 раза переключают, и разговор обрывается.",
        "Единый скрипт: специалист записывает вопрос и сам перезванивает с ответом в течение дня.",
        "Клиент решает вопрос за один звонок.",
        ["телефон", "скрипт"],
        "sotrudnik",
        64,
        ("redaktor", "rabgruppa", "rukovoditel", "administrator"),
    ),
    (
        "Навигация по ЦЗН: цветные линии на полу",
        "Клиенты не находят нужный кабинет и спрашивают у охраны.",
        "Нанести цветные линии к основным зонам: приём, профориентация, выплаты.",
        "Меньше блуждания и вопросов «куда идти».",
        ["навигация"],
        "redaktor",
        62,
        ("sotrudnik", "rukovoditel"),
    ),
    (
        "SMS-напоминание о дате перерегистрации",
        "Безработные пропускают перерегистрацию и теряют выплаты.",
        "Отправлять SMS за два дня до даты перерегистрации.",
        "Меньше пропусков и снятий с учёта.",
        ["SMS", "выплаты"],
        "rukovoditel",
        60,
        ("sotrudnik", "redaktor"),
    ),
    (
        "Уголок для детей в зоне ожидания",
        "Женщины с детьми не могут спокойно поговорить со специалистом.",
        "Поставить столик с раскрасками и мягкий коврик в зоне ожидания.",
        "Спокойнее разговор, выше оценка комфорта в анкетах.",
        ["комфорт", "женщины с детьми"],
        "sotrudnik",
        50,
        ("redaktor", "rabgruppa", "rukovoditel", "administrator"),
    ),
    (
        "Выездные консультации для работодателей в промзоне",
        "Кадровикам крупных предприятий некогда ездить в ЦЗН.",
        "Раз в месяц проводить выездной день в промзоне.",
        "Больше вакансий от работодателей промзоны.",
        ["работодатели", "выездной приём"],
        "rukovoditel",
        48,
        ("rabgruppa",),
    ),
    (
        "Кулер с водой в каждом ЦЗН",
        "Летом в зоне ожидания душно, клиенты просят воды.",
        "Поставить кулер с водой и одноразовыми стаканами.",
        "Комфорт ожидания.",
        ["комфорт"],
        "sotrudnik",
        46,
        ("redaktor", "rukovoditel"),
    ),
    (
        "Запись на приём через ЕЦП «Работа России» с выбором специалиста",
        "Клиент записывается на время, но попадает к незнакомому специалисту "
        "и рассказывает всё заново.",
        "Дать выбрать своего специалиста при записи на ЕЦП.",
        "Непрерывность сопровождения, меньше повторных рассказов.",
        ["ЕЦП", "запись на приём"],
        "redaktor",
        44,
        ALL,
    ),
    (
        "Единая форма обратной связи после каждого приёма",
        "Анкеты раздаются нерегулярно, отзывов мало.",
        "QR-код на столе каждого специалиста с короткой анкетой из 3 вопросов.",
        "В разы больше отзывов для индекса клиентоцентричности.",
        ["обратная связь", "QR"],
        "rabgruppa",
        42,
        ("sotrudnik", "redaktor", "rukovoditel"),
    ),
    (
        "Табличка с именем специалиста на каждом столе",
        "Клиенты не знают, как обратиться к специалисту, и не могут оставить отзыв о нём.",
        "Поставить таблички с именем и должностью.",
        "Личный контакт, адресные отзывы.",
        ["вежливость"],
        "sotrudnik",
        40,
        ("rukovoditel",),
    ),
    (
        "Короткие видеоинструкции по подаче заявления на ЕЦП",
        "Клиенты путаются в шагах подачи заявления онлайн и приходят за помощью.",
        "Снять 5 видео по 2 минуты и показывать их на экране в зоне ожидания.",
        "Больше заявлений онлайн без помощи специалиста.",
        ["ЕЦП", "видео"],
        "redaktor",
        38,
        ("sotrudnik", "rabgruppa"),
    ),
    (
        "Электронная очередь: SMS-оповещение о вызове",
        "Люди ждут в коридоре и боятся пропустить вызов.",
        "Присылать SMS, когда очередь почти подошла.",
        "Ожидание спокойнее.",
        ["ожидание"],
        "rukovoditel",
        36,
        ("redaktor", "administrator"),
    ),
    (
        "Обучение специалистов работе с конфликтными клиентами",
        "Специалисты теряются, когда клиент повышает голос.",
        "Провести тренинг по деэскалации с разбором реальных кейсов.",
        "Меньше конфликтов и обоснованных жалоб.",
        ["обучение", "конфликты"],
        "sotrudnik",
        34,
        ("redaktor", "rabgruppa", "rukovoditel"),
    ),
    (
        "Профиль клиентской группы «участник СВО» с маршрутом услуг",
        "Специалисты по-разному понимают, какие меры поддержки предлагать участникам СВО.",
        "Утвердить профиль и маршрут с перечнем мер и ответственными.",
        "Единый подход во всех ЦЗН.",
        ["профиль клиента", "участники СВО"],
        "rabgruppa",
        33,
        ("sotrudnik", "redaktor", "rukovoditel", "administrator"),
    ),
    (
        "Приём без записи в последний час рабочего дня",
        "Работающие граждане не успевают прийти в рабочее время.",
        "Оставить последний час для приёма без записи, два дня в неделю — до 19:00.",
        "Доступность услуг для работающих.",
        ["график работы"],
        "sotrudnik",
        31,
        ("rukovoditel",),
    ),
    (
        "Онлайн-консультация по видеосвязи для жителей сёл",
        "Из отдалённых сёл до ЦЗН ехать полдня.",
        "Консультации по видеосвязи по записи.",
        "Экономия времени клиентов, больше обращений из сёл.",
        ["дистанционно"],
        "redaktor",
        29,
        ("sotrudnik", "rabgruppa", "administrator"),
    ),
    (
        "Единый номер телефона для всех ЦЗН области",
        "Клиенты не знают, куда звонить, номера меняются.",
        "Один короткий номер с распределением звонков.",
        "Проще дозвониться.",
        ["телефон"],
        "rukovoditel",
        27,
        ("sotrudnik", "redaktor"),
    ),
    (
        "Понятные письма-уведомления без канцелярита",
        "Клиенты не понимают писем-уведомлений и звонят переспросить.",
        "Переписать шаблоны писем простым языком и проверить на клиентах.",
        "Меньше уточняющих звонков.",
        ["простой язык"],
        "redaktor",
        25,
        ALL,
    ),
    (
        "Зарядка для телефонов в зоне ожидания",
        "У клиентов садится телефон, а на нём документы и ЕЦП.",
        "Поставить зарядную станцию.",
        "Клиент может закончить онлайн-заявление на месте.",
        ["комфорт"],
        "sotrudnik",
        20,
        ("rabgruppa",),
    ),
    (
        "Ярмарка вакансий для молодёжи с наставниками",
        "Студенты не приходят на обычные ярмарки.",
        "Формат «ярмарка + наставник»: молодые сотрудники компаний рассказывают о работе.",
        "Больше трудоустроенных выпускников.",
        ["молодёжь", "ярмарка вакансий"],
        "rukovoditel",
        18,
        ("sotrudnik", "redaktor", "rabgruppa"),
    ),
    (
        "Чек-лист специалиста для первичного приёма",
        "На первичном приёме специалисты забывают предложить часть услуг.",
        "Чек-лист в карточке клиента: что предложить и что рассказать.",
        "Клиент сразу узнаёт обо всех доступных мерах.",
        ["первичный приём", "стандарт"],
        "sotrudnik",
        15,
        ("rabgruppa", "rukovoditel"),
    ),
    (
        "Обратный звонок вместо ожидания на линии",
        "Линия занята, клиенты слушают музыку по 10 минут.",
        "Предлагать обратный звонок, когда все операторы заняты.",
        "Меньше брошенных звонков.",
        ["телефон"],
        "redaktor",
        12,
        ("sotrudnik",),
    ),
    (
        "Карта ЦЗН со временем ожидания в реальном времени",
        "Клиенты приходят в самый загруженный ЦЗН, хотя рядом свободно.",
        "Показывать на сайте текущую очередь в каждом ЦЗН.",
        "Равномерная загрузка, меньше ожидания.",
        ["ожидание"],
        "sotrudnik",
        9,
        ("redaktor", "rukovoditel"),
    ),
    (
        "Крупный шрифт в бланках для предпенсионеров",
        "Людям старшего возраста трудно читать мелкий шрифт бланков.",
        "Версия бланков с крупным шрифтом.",
        "Меньше ошибок при заполнении.",
        ["предпенсионеры", "доступная среда"],
        "rukovoditel",
        6,
        ("sotrudnik",),
    ),
    (
        "Ежемесячный разбор жалоб на планёрке",
        "Жалобы разбирают по одной, выводы не доходят до всех специалистов.",
        "Раз в месяц 20 минут планёрки — обезличенный разбор жалоб и решений.",
        "Ошибки не повторяются в других ЦЗН.",
        ["жалобы", "обучение"],
        "sotrudnik",
        4,
        (),
    ),
    (
        "Опрос работодателей после закрытия вакансии",
        "Не знаем, довольны ли работодатели подобранными кандидатами.",
        "Короткий опрос через неделю после закрытия вакансии.",
        "Данные для индекса по работодателям.",
        ["работодатели", "обратная связь"],
        "redaktor",
        2,
        (),
    ),
]

COMMENTS = [
    (0, "rukovoditel", "Поддерживаю, в Заречном ЦЗН очередь по утрам до 40 минут."),
    (0, "redaktor", "Можно использовать уже закупленный модуль SMS-рассылки."),
    (3, "rabgruppa", "Предлагаю включить в стандарт телефонного обслуживания."),
    (6, "redaktor", "Есть опыт соседнего региона — могу найти контакты."),
    (
        9,
        "sotrudnik",
        "Очень нужно: клиенты постоянно просят «к той же девушке, что в прошлый раз».",
    ),
    (10, "rukovoditel", "Важно, чтобы анкета была короткой, иначе не заполнят."),
    (15, "sotrudnik", "Профиль ждём очень, сейчас каждый ЦЗН делает по-своему."),
    (19, "administrator", "Могу помочь с шаблонами в системе рассылки."),
]

MEETINGS = [
    {
        "days_ago": 58,
        "minutes": (
            "Демо: заседание рабочей группы по клиентоцентричности. Рассмотрены идеи, "
            "поданные за месяц; обсуждены приоритеты по ожиданию в очереди."
        ),
        "decisions": [
            (0, "accept", "Поддержано большинством; модуль SMS уже закуплен.", 8, 7, 6),
            (1, "accept", "Подготовить памятку к следующему месяцу.", 6, 8, 9),
            (
                2,
                "reject",
                "Перенос пандуса требует реконструкции здания; вместо этого установлены "
                "указатели к существующему пандусу и кнопка вызова.",
                None,
                None,
                None,
            ),
            (
                3,
                "accept",
                "Скрипт согласовать с руководителями ЦЗН и опубликовать в базе знаний.",
                7,
                8,
                8,
            ),
            (
                4,
                "rework",
                "Уточните, какие зоны нужны и кто согласует разметку с арендодателем.",
                None,
                None,
                None,
            ),
        ],
    },
    {
        "days_ago": 26,
        "minutes": (
            "Демо: заседание рабочей группы. Разобраны идеи по комфорту ожидания и по работе "
            "с работодателями; подведены итоги по принятым ранее идеям."
        ),
        "decisions": [
            (
                13,
                "duplicate",
                "Та же идея, что №1 об SMS при электронной очереди.",
                None,
                None,
                None,
            ),
            (6, "accept", "Недорого и заметно для клиентов.", 7, 8, 9),
            (
                8,
                "reject",
                "В ЦЗН уже стоят кулеры в зонах ожидания; проверено по всем подразделениям.",
                None,
                None,
                None,
            ),
            (1, "implemented", "Памятка опубликована и разослана во все ЦЗН.", None, None, None),
            (3, "implemented", "Скрипт утверждён и опубликован в базе знаний.", None, None, None),
            (9, "accept", "Обсудить с оператором ЕЦП техническую возможность.", 9, 5, 3),
        ],
    },
]


# What the meeting recorded about an implemented idea, by its number in IDEAS:
# what changed, how many days before the meeting, the articles it changed.
IMPLEMENTATIONS = {
    1: (
        "Памятка «Первый визит в ЦЗН» на одной странице напечатана и разослана во все ЦЗН; "
        "специалисты выдают её при записи на первичный приём.",
        5,
        (),
    ),
    3: (
        "Единый скрипт: специалист записывает вопрос, не переключает звонок и сам "
        "перезванивает с ответом в течение рабочего дня. Скрипт опубликован в базе знаний, "
        "специалисты ЦЗН прошли инструктаж.",
        10,
        ("skript-telefonnogo-razgovora",),
    ),
}

# An idea implemented half a year ago, with three complete months of the
# office's feedback on each side. Dates are counted in months back from the
# month in progress, so the story holds whenever the demo is loaded.
STORY = {
    "title": "Запись на приём на точное время вместо живой очереди",
    "problem": (
        "Клиенты приходят к открытию и по часу ждут в живой очереди; к обеду талоны "
        "заканчиваются, и часть людей уходит ни с чем."
    ),
    "proposal": (
        "Записывать на приём на точное время по телефону и через ЕЦП «Работа России», "
        "оставить одно окно без записи для срочных вопросов и описать порядок в стандарте "
        "встречи клиента."
    ),
    "effect": "Меньше ожидания и жалоб на очередь, выше оценки времени ожидания и лёгкости.",
    "tags": ["запись на приём", "ожидание"],
    "author": "sotrudnik",
    "articles": ("standart-vstrechi-klienta-v-czn", "algoritm-registracii-bezrabotnogo"),
    "voters": ("redaktor", "rabgruppa", "rukovoditel", "administrator"),
    "comment": (
        "rukovoditel",
        "Поддерживаю: в Железнодорожном районе утром очередь до часа, это видно и по анкетам.",
    ),
    # (months back from this month, day of that month)
    "submitted": (9, 3),
    "accepted": (8, 14),
    "implemented": (6, 10),
    "recorded": (6, 22),
    "accept_minutes": (
        "Демо: заседание рабочей группы. Рассмотрены идеи об ожидании в очереди; принята "
        "идея о записи на точное время, пилот — ЦЗН Железнодорожного района г. Самары."
    ),
    "accept_rationale": (
        "Пилот в ЦЗН Железнодорожного района: запись на точное время и окно без записи."
    ),
    "implement_minutes": (
        "Демо: заседание рабочей группы. Подведены итоги пилота записи на точное время "
        "в ЦЗН Железнодорожного района г. Самары."
    ),
    "implement_rationale": "Пилот завершён, порядок приёма по записи закреплён в стандарте.",
    "changes": (
        "В ЦЗН Железнодорожного района г. Самары введена запись на точное время по телефону "
        "и через ЕЦП «Работа России»; для срочных вопросов оставлено одно окно без записи. "
        "Порядок приёма по записи добавлен в «Стандарт встречи и сопровождения клиента в ЦЗН» "
        "и в алгоритм регистрации гражданина."
    ),
}


def _at(days_ago):
    return timezone.now() - timedelta(days=days_ago)


def _story_day(months_back, day):
    return add_months(this_month(), -months_back).replace(day=day)


def _decide(meeting, idea, *, by, outcome, rationale, responsible=None, moment, **extra):
    """Record a decision through the service and date it, and what it told
    people, at ``moment``."""
    before = timezone.now()
    decision = services.decision_record(
        meeting=meeting,
        idea=idea,
        outcome=outcome,
        by=by,
        rationale=rationale,
        responsible=responsible,
        **extra,
    )
    Decision.objects.filter(pk=decision.pk).update(created_at=moment)
    # What the decision told people is dated with it too.
    Notification.objects.filter(created_at__gte=before).update(created_at=moment)
    Idea.objects.filter(pk=idea.pk).update(decided_at=moment, status_changed_at=moment)
    Idea.objects.filter(pk=idea.pk, first_reviewed_at__gt=moment).update(first_reviewed_at=moment)
    if outcome == "implemented":
        Implementation.objects.filter(idea=idea).update(recorded_at=moment)
    return decision


def _published(slugs):
    return list(Article.objects.published().filter(slug__in=list(slugs)).order_by("slug"))


def _seed_story(users, created):
    """The idea implemented half a year ago (see the module's docstring)."""
    spec = STORY
    group = users["rabgruppa"]
    idea = Idea.objects.filter(title=spec["title"]).first()
    if idea is None:
        submitted = timezone.make_aware(
            datetime.combine(_story_day(*spec["submitted"]), time(10, 0))
        )
        idea = services.idea_submit(
            author=users[spec["author"]],
            title=spec["title"],
            problem=spec["problem"],
            proposal=spec["proposal"],
            expected_effect=spec["effect"],
            tags=spec["tags"],
            articles=_published(spec["articles"]),
            created_at=submitted,
        )
        created["ideas"] += 1
        for voter in spec["voters"]:
            services.idea_vote_cast(idea=idea, user=users[voter])
        Vote.objects.filter(idea=idea).update(created_at=submitted)
        commenter, text = spec["comment"]
        comment = services.comment_add(idea=idea, author=users[commenter], text=text)
        Comment.objects.filter(pk=comment.pk).update(created_at=submitted + timedelta(days=2))
        Notification.objects.filter(url__endswith=f"#comment-{comment.pk}").update(
            created_at=submitted + timedelta(days=2)
        )
        created["comments"] += 1
    for step, minutes in (("accepted", "accept_minutes"), ("recorded", "implement_minutes")):
        if ReviewMeeting.objects.filter(minutes=spec[minutes]).exists():
            continue
        held_on = _story_day(*spec[step])
        meeting = services.meeting_create(
            held_on=held_on,
            minutes=spec[minutes],
            attendees=[users["rabgruppa"], users["rukovoditel"], users["administrator"]],
            by=group,
        )
        created["meetings"] += 1
        moment = timezone.make_aware(datetime.combine(held_on, time(15, 0)))
        idea = Idea.objects.get(pk=idea.pk)
        if step == "accepted" and idea.status in Idea.AWAITING:
            _decide(
                meeting,
                idea,
                by=group,
                outcome="accept",
                rationale=spec["accept_rationale"],
                responsible=users["rukovoditel"],
                due_date=_story_day(*spec["implemented"]),
                moment=moment,
                impact=8,
                confidence=7,
                ease=7,
            )
            created["decisions"] += 1
        elif step == "recorded" and idea.status in services.IMPLEMENTABLE:
            _decide(
                meeting,
                idea,
                by=group,
                outcome="implemented",
                rationale=spec["implement_rationale"],
                moment=moment,
                changes=spec["changes"],
                implemented_on=_story_day(*spec["implemented"]),
                changed_articles=_published(spec["articles"]),
            )
            created["decisions"] += 1


def seed_ideas(users):
    """Create missing demo ideas; return counts of what was created.

    ``users`` maps demo usernames to users.
    """
    created = {"ideas": 0, "votes": 0, "comments": 0, "meetings": 0, "decisions": 0}
    votes_before = Vote.objects.count()
    articles = list(Article.objects.published().order_by("id")[:3])
    ideas = []
    for index, (title, problem, proposal, effect, tags, author, days, voters) in enumerate(IDEAS):
        idea = Idea.objects.filter(title=title).first()
        if idea is None:
            idea = services.idea_submit(
                author=users[author],
                title=title,
                problem=problem,
                proposal=proposal,
                expected_effect=effect,
                tags=tags,
                articles=articles[index % 4 : index % 4 + 1] if index % 3 == 0 else (),
                created_at=_at(days),
            )
            created["ideas"] += 1
            for voter in voters:
                if voter != author:
                    services.idea_vote_cast(idea=idea, user=users[voter])
            for number, commenter, text in COMMENTS:
                if number == index:
                    comment = services.comment_add(idea=idea, author=users[commenter], text=text)
                    Comment.objects.filter(pk=comment.pk).update(created_at=_at(days - 1))
                    Notification.objects.filter(url__endswith=f"#comment-{comment.pk}").update(
                        created_at=_at(days - 1)
                    )
                    created["comments"] += 1
        ideas.append(idea)
    group = users["rabgruppa"]
    for spec in MEETINGS:
        if ReviewMeeting.objects.filter(minutes=spec["minutes"]).exists():
            continue
        held_on = timezone.localdate() - timedelta(days=spec["days_ago"])
        meeting = services.meeting_create(
            held_on=held_on,
            minutes=spec["minutes"],
            attendees=[users["rabgruppa"], users["rukovoditel"], users["administrator"]],
            by=group,
        )
        created["meetings"] += 1
        moment = timezone.make_aware(datetime.combine(held_on, time(15, 0)))
        for number, outcome, rationale, impact, confidence, ease in spec["decisions"]:
            idea = Idea.objects.get(pk=ideas[number].pk)
            if idea.status == Idea.Status.DUPLICATE:
                continue
            extra = {}
            if outcome == "implemented":
                if idea.status not in services.IMPLEMENTABLE:
                    continue  # an older demo decided it otherwise
                changes, days_before, slugs = IMPLEMENTATIONS[number]
                extra = {
                    "changes": changes,
                    "implemented_on": held_on - timedelta(days=days_before),
                    "changed_articles": _published(slugs),
                }
            _decide(
                meeting,
                idea,
                by=group,
                outcome=outcome,
                rationale=rationale,
                responsible=users["rukovoditel"] if outcome == "accept" else None,
                due_date=held_on + timedelta(days=60) if outcome == "accept" else None,
                impact=impact,
                confidence=confidence,
                ease=ease,
                duplicate_of=ideas[0] if outcome == "duplicate" else None,
                moment=moment,
                **extra,
            )
            created["decisions"] += 1
    # Ideas taken up between meetings, and accepted ones already in work.
    if created["meetings"]:
        for number in (15, 19):
            idea = Idea.objects.get(pk=ideas[number].pk)
            if idea.status == Idea.Status.SUBMITTED:
                services.idea_status_set(idea=idea, status=Idea.Status.UNDER_REVIEW, by=group)
        idea = Idea.objects.get(pk=ideas[0].pk)
        if idea.status == Idea.Status.ACCEPTED:
            services.idea_status_set(
                idea=idea,
                status=Idea.Status.IN_PROGRESS,
                by=group,
                reason="Подрядчик подключает SMS-шлюз.",
            )
    _seed_story(users, created)
    created["votes"] = max(Vote.objects.count() - votes_before, 0)
    return created
