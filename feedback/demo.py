"""Demo client feedback and operational indicators.

About 55,000 answers over the last 18 months across every office, so that
the CX dashboard tells a story from the first start:

* the five groups differ: clients praise the specialists' politeness and
  competence (F) and find the effort (E: CES) and the waiting (in K) the
  weakest — what regional surveys usually show;
* a flat first year, then the electronic queue and fewer documents
  (``REFORM_MONTHS`` before now) shorten the wait and the effort month by
  month, and the index climbs past its target;
* offices clearly better or worse than the rest, a few with too few
  answers to rank;
* client groups of realistic sizes (job seekers and the unemployed the
  biggest, «иное» a few per cent), people with disabilities and those
  near retirement a little less satisfied;
* comments (the angriest from the lowest scores) and complaints, tagged
  with the topics dictionary; in ``QUEUE_OFFICE`` the queue has become the
  clients' subject in the last ``QUEUE_MONTHS`` months (the topic «Очередь
  и ожидание» climbs there while it falls in the region), and a few
  comments carry a phone number or a name, masked as every import does.

Generated with a fixed seed, written with bulk inserts, and skipped when the
demo feedback is already there.
"""

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from feedback.aggregates import slices_refresh
from feedback.models import (
    SCORE_FIELDS,
    Channel,
    ClientGroup,
    ClientType,
    FeedbackResponse,
    OperationalIndicator,
    ProblemSolved,
    Service,
    Source,
)
from feedback.services import dedup_key_of, responses_insert
from feedback.topics import topics_reapply
from people.models import Office

MONTHS = 18
DEMO_PREFIX = "demo-"
# The last months in which the improvements take effect, a step a month.
REFORM_MONTHS = 7
REFORM_STEP = 0.045  # general mood, per month of the reform
REFORM_WAIT_STEP = 1.2  # minutes less waiting, per month of the reform
# How each question sits against the client's general mood: politeness and
# competence high, the effort (CES) and the waiting low. The reform lifts
# the waiting and the effort most (per month of it).
SCORE_BIAS = {
    "csat": 0.0,
    "politeness": 0.3,
    "competence": 0.2,
    "waiting": -0.5,
    "comfort": 0.1,
    "information": -0.05,
    "relevance": 0.05,
    "ces": -0.4,
}
REFORM_BIAS = {"waiting": 0.06, "ces": 0.05}
# Groups a little more or less satisfied than the average client.
GROUP_MOOD = {
    ClientGroup.DISABLED: -0.15,
    ClientGroup.PRE_RETIREMENT: -0.12,
    ClientGroup.YOUTH: 0.05,
    ClientGroup.SVO: 0.1,
    ClientGroup.OTHER: -0.05,
}

SERVICES = [
    ("job-search", "Содействие в поиске подходящей работы"),
    ("unemployed-registration", "Регистрация в качестве безработного"),
    ("benefit", "Назначение пособия по безработице"),
    ("training", "Профессиональное обучение и дополнительное профессиональное образование"),
    ("career-guidance", "Профессиональная ориентация"),
    ("psychological-support", "Психологическая поддержка безработных граждан"),
    ("social-adaptation", "Социальная адаптация на рынке труда"),
    ("self-employment", "Содействие началу осуществления предпринимательской деятельности"),
    ("temporary-work", "Организация временного трудоустройства"),
    ("relocation", "Содействие в переезде в другую местность для трудоустройства"),
    ("job-fair", "Организация ярмарок вакансий и учебных рабочих мест"),
    ("employer-selection", "Подбор работников для работодателей"),
    ("labour-market-info", "Информирование о положении на рынке труда"),
]
EMPLOYER_SERVICES = ("employer-selection", "job-fair", "labour-market-info", "temporary-work")

GROUP_WEIGHTS = [
    (ClientGroup.JOBSEEKER, 30),
    (ClientGroup.UNEMPLOYED, 28),
    (ClientGroup.DISABLED, 7),
    (ClientGroup.YOUTH, 12),
    (ClientGroup.PARENT, 8),
    (ClientGroup.PRE_RETIREMENT, 8),
    (ClientGroup.SVO, 4),
    (ClientGroup.OTHER, 3),
]
CHANNEL_WEIGHTS = [
    (Channel.IN_PERSON, 55),
    (Channel.ECP, 20),
    (Channel.EPGU, 15),
    (Channel.PHONE, 8),
    (Channel.OUTREACH, 2),
]
SOURCES_BY_CHANNEL = {
    Channel.IN_PERSON: [Source.SURVEY, Source.SURVEY, Source.QR, Source.VASH_CONTROL],
    Channel.ECP: [Source.ECP],
    Channel.EPGU: [Source.POS, Source.POS, Source.VASH_CONTROL],
    Channel.PHONE: [Source.PHONE],
    Channel.OUTREACH: [Source.SURVEY],
}

PRAISE = [
    "Спасибо специалисту, всё объяснили понятно и быстро.",
    "Вежливо, без очереди, помогли составить резюме.",
    "Подобрали вакансию уже на первой встрече.",
    "Очень доброжелательный консультант, рекомендую.",
    "Удобно записаться через портал, приняли точно по времени.",
    "Помогли с документами на обучение, всё чётко.",
    "Специалист перезвонил сам и предложил несколько вариантов.",
    "Быстро подобрали сотрудников на наши вакансии.",
]
NEUTRAL = [
    "В целом нормально, но пришлось прийти второй раз.",
    "Консультация полезная, но вакансий по моей профессии мало.",
    "Всё хорошо, только в зале ожидания душно.",
    "Нормально, хотелось бы больше информации на сайте.",
    "Ответили на вопросы, но записи пришлось ждать неделю.",
]
COMPLAINTS = [
    "Прождала в очереди больше часа, талон не работал.",
    "Специалист разговаривал грубо и торопил.",
    "Три раза приходил за одной справкой, каждый раз просят новые документы.",
    "Предложенные вакансии не подходят совсем, никто не слушает.",
    "Не дозвониться, на портале ошибка при записи.",
    "Пособие назначили с задержкой, объяснений никаких.",
    "Отправили в другой кабинет, там сказали вернуться завтра.",
    "Анкета на ЕЦП зависает, пришлось ехать лично.",
]


# The story of the topics block: one job centre whose queue went wrong lately.
QUEUE_OFFICE = "czn-samara-leninskij"
QUEUE_MONTHS = 4
QUEUE_COMPLAINTS = [
    "Очередь огромная, ждала почти два часа, работало одно окно.",
    "Электронная очередь не работает, талоны закончились к обеду.",
    "Долго ждали в коридоре, стульев нет, душно.",
    "Очередь на приём к специалисту — на две недели вперёд.",
    "Прождал в очереди час, а консультация заняла пять минут.",
]
# Written as clients do; stored masked (feedback.masking).
PERSONAL = [
    "Меня зовут Ольга Викторовна, перезвоните 8-917-555-12-34, не дозвониться.",
    "Документы у Ивановой И.И. взяли месяц назад, ответа нет. Пишите: olga.k@mail.ru",
    "Я — Сергей Петров, пособие не пришло, паспорт 36 12 345678 предъявлял дважды.",
]


def seed_services():
    """The reference list of services; returns how many were added."""
    existing = set(Service.objects.values_list("code", flat=True))
    missing = [Service(code=code, title=title) for code, title in SERVICES if code not in existing]
    Service.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def seed_feedback():
    """Create missing demo feedback; return counts of what was created."""
    created = {"services": seed_services(), "feedback": 0, "indicators": 0}
    offices = list(Office.objects.filter(is_active=True).order_by("code"))
    if not offices:
        return created
    months = _months()
    profiles = _office_profiles(offices)
    if not FeedbackResponse.objects.filter(external_id__startswith=DEMO_PREFIX).exists():
        created["feedback"] = _seed_responses(offices, months, profiles)
        slices_refresh()
        topics_reapply()
    created["indicators"] = _seed_indicators(offices, months, profiles)
    return created


def _months():
    today = timezone.localdate()
    first = today.replace(day=1)
    months = []
    for _i in range(MONTHS):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return sorted(months)


def _office_profiles(offices):
    """Per office: quality offset and answers a month, fixed by the seed."""
    rng = random.Random(2026)
    profiles = {}
    for index, office in enumerate(offices):
        quality = rng.gauss(0, 0.18)
        volume = rng.randint(32, 52)
        if index % 17 == 3:
            quality += 0.55  # clearly better
        elif index % 19 == 7:
            quality -= 0.75  # clearly worse
        if index % 23 == 11:
            volume = rng.randint(8, 18)  # too few answers to be ranked
        profiles[office.pk] = (quality, volume)
    return profiles


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _reform(month_index, month_count):
    """Months of the reform so far: 0 in the first year, then 1, 2, … up to
    ``REFORM_MONTHS`` in the last of ``month_count`` months."""
    return max(0, month_index - (month_count - 1 - REFORM_MONTHS))


def _seed_responses(offices, months, profiles):
    rng = random.Random(42)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    services = dict(Service.objects.values_list("code", "pk"))
    citizen_services = [pk for code, pk in services.items() if code != "employer-selection"]
    employer_services = [services[code] for code in EMPLOYER_SERVICES if code in services]
    rows = []
    number = 0
    dedup_key = dedup_key_of
    # Its own random numbers, so that the story leaves every score as it was.
    story = random.Random(13)
    queue_from = len(months) - QUEUE_MONTHS
    # Tests shrink the demo (DEMO_FEEDBACK_SCALE) to keep the suite fast.
    scale = getattr(settings, "DEMO_FEEDBACK_SCALE", 1.0)
    for month_index, month in enumerate(months):
        days = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - month
        reform = _reform(month_index, len(months))
        for office in offices:
            quality, volume = profiles[office.pk]
            for _i in range(max(1, round(volume * scale * rng.uniform(0.85, 1.15)))):
                submitted = dt.datetime.combine(
                    month + dt.timedelta(days=rng.randrange(days.days)),
                    dt.time(rng.randint(8, 17), rng.randrange(60)),
                    tzinfo=zone,
                )
                if submitted > now:
                    continue
                number += 1
                values = _response(
                    rng, number, quality, reform, citizen_services, employer_services
                )
                values["dedup_key"] = dedup_key(values["source"], values["external_id"])
                values.update(submitted_at=submitted, month=month, office_id=office.pk)
                _story(
                    values, story, queue=office.code == QUEUE_OFFICE and month_index >= queue_from
                )
                rows.append(values)
    return responses_insert(rows)


def _story(values, rng, *, queue):
    """The comment of a response told by the demo's story (scores untouched;
    in the queue office some of those who wrote about the queue complained)."""
    low_wait = values["waiting"] is not None and values["waiting"] <= 3
    if queue and (values["comment"] or low_wait) and rng.random() < 0.7:
        values["comment"] = rng.choice(QUEUE_COMPLAINTS)
        if not values["complaint"] and rng.random() < 0.4:
            values["complaint"] = True
            values["complaint_justified"] = rng.random() < 0.6
    elif values["comment"] and rng.random() < 0.01:
        values["comment"] = rng.choice(PERSONAL)


def _response(rng, number, quality, reform, citizen_services, employer_services):
    """The values of one response (without its time and office).

    ``reform``: how many months the improvements have been in effect.
    """
    employer = rng.random() < 0.14
    group = ClientGroup.OTHER if employer else _weighted(rng, GROUP_WEIGHTS)
    channel = _weighted(rng, CHANNEL_WEIGHTS)
    source = rng.choice(SOURCES_BY_CHANNEL[channel])
    mood = (
        4.2
        + quality
        + reform * REFORM_STEP
        + (0 if employer else GROUP_MOOD.get(group, 0))
        + rng.gauss(0, 0.8)
        + (0.1 if employer else 0)
    )
    scores = {}
    for field in SCORE_FIELDS:
        if rng.random() < 0.07 or (field == "waiting" and channel != Channel.IN_PERSON):
            scores[field] = None  # no answer, never 0
            continue
        bias = SCORE_BIAS[field] + reform * REFORM_BIAS.get(field, 0)
        scores[field] = min(5, max(1, round(mood + bias + rng.gauss(0, 0.55))))
    nps = None if rng.random() < 0.1 else min(10, max(0, round((mood - 1) * 2.4 + rng.gauss(0, 1))))
    csat = scores["csat"] or round(min(5, max(1, mood)))
    solved = (
        ProblemSolved.YES if csat >= 4 else ProblemSolved.PARTLY if csat == 3 else ProblemSolved.NO
    )
    if rng.random() < 0.1:
        solved = ""
    complaint = csat <= 2 and rng.random() < 0.35
    comment = ""
    if complaint or (csat <= 2 and rng.random() < 0.6):
        comment = rng.choice(COMPLAINTS)
    elif rng.random() < 0.12:
        comment = rng.choice(PRAISE if csat >= 4 else NEUTRAL)
    wait = None
    if channel == Channel.IN_PERSON:
        mean_wait = max(4, 16 - quality * 12 - reform * REFORM_WAIT_STEP)
        wait = max(0, round(rng.expovariate(1 / mean_wait)))
    return dict(
        batch_id=None,
        source=source,
        external_id=f"{DEMO_PREFIX}{number}",
        client_type=ClientType.EMPLOYER if employer else ClientType.CITIZEN,
        client_group=group,
        service_id=rng.choice(employer_services if employer else citizen_services),
        channel=channel,
        nps=nps,
        problem_solved=solved,
        wait_minutes=wait,
        visits_count=1 if csat >= 4 else rng.randint(1, 4),
        on_time=None if rng.random() < 0.1 else rng.random() < (0.93 + quality / 10),
        complaint=complaint,
        complaint_justified=(rng.random() < 0.45) if complaint else None,
        comment=comment,
        **scores,
    )


def _seed_indicators(offices, months, profiles):
    rng = random.Random(7)
    code = OperationalIndicator.Code
    rows = []
    for month_index, month in enumerate(months):
        reform = _reform(month_index, len(months))
        for office in offices:
            quality, volume = profiles[office.pk]
            contacts = round(volume * rng.uniform(9, 14))
            complaints = max(0, round(rng.gauss(3 - quality * 4, 1.5)))
            values = {
                code.WAIT_MINUTES: max(
                    2, rng.gauss(16 - quality * 10 - reform * REFORM_WAIT_STEP, 2)
                ),
                code.ON_TIME_SHARE: min(100, max(70, rng.gauss(94 + quality * 5, 2))),
                code.CONTACTS: contacts,
                code.COMPLAINTS: complaints,
                code.JUSTIFIED_COMPLAINTS: round(complaints * rng.uniform(0.2, 0.6)),
                code.EMPLOYED: round(contacts * rng.uniform(0.15, 0.3)),
                code.VACANCIES: round(contacts * rng.uniform(0.4, 0.9)),
            }
            for indicator, value in values.items():
                rows.append(
                    OperationalIndicator(
                        office=office,
                        month=month,
                        code=indicator,
                        value=Decimal(str(round(value, 1))),
                    )
                )
    before = OperationalIndicator.objects.count()
    OperationalIndicator.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return OperationalIndicator.objects.count() - before
