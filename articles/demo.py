"""Demo mandatory reading and targeting («Для вас», ``seed_targeting``).

The demo's mandatory documents get audiences (everyone, positions, office
subtrees, roles, a combination) and deadlines,
the generated staff acknowledge them partly — some offices all, some half,
some nobody, some after the deadline — one document has had a
re-acknowledgement round, and the reminders the daily job would send today
go out. Everything goes through the services the admin uses; only the
acknowledgements' dates are set in the past directly."""

import random
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from articles.mandatory import deadline_cutoff, mandatory_snapshot
from articles.models import (
    Acknowledgement,
    AcknowledgementRound,
    Article,
    MandatoryReminder,
    Section,
)
from articles.services import (
    article_mandatory_apply,
    article_target_apply,
    mandatory_reminders_send,
    section_target_apply,
)
from people import roles
from people.audiences import AudienceSpec, members
from people.demo import STAFF_PREFIX
from people.models import Office, Position

# slug -> (offices by code, positions, roles, deadline in days from today or
# None, share of the audience that has read it)
AUDIENCES = {
    "deklaraciya-cennostej-klientocentrichnosti": ((), (), (), 20, 0.55),
    "kodeks-klientocentrichnosti-szn-samarskoj-oblasti": ((), (), (), -30, 0.85),
    "standart-gosudarstvo-dlya-lyudej": (
        (),
        ("специалист по работе с гражданами", "консультант", "руководитель ЦЗН"),
        (),
        -10,
        0.7,
    ),
    "standart-gosudarstvo-dlya-biznesa": (
        (),
        ("специалист по работе с работодателями", "руководитель ЦЗН"),
        (),
        6,
        0.4,
    ),
    "standart-vnutrennego-klienta": (("to-samara-zhd",), (), (), 1, 0.5),
    "standart-vstrechi-klienta-v-czn": (
        ("to-samara-zhd", "to-samara-prom", "to-tolyatti"),
        ("специалист по работе с гражданами", "консультант", "психолог"),
        (),
        14,
        0.3,
    ),
    "skript-telefonnogo-razgovora": (
        (),
        ("специалист по работе с гражданами", "консультант"),
        (),
        None,
        0.75,
    ),
    "grafik-meropriyatij-po-klientocentrichnosti-2026": (
        (),
        (),
        (roles.MANAGER, roles.WORKING_GROUP),
        30,
        0.0,
    ),
}
REACK = "skript-telefonnogo-razgovora"
REACK_SUMMARY = (
    "Добавлен порядок звонка работодателю и уточнено, что сказать, если специалист не может "
    "ответить сразу: предложить перезвонить в течение рабочего дня."
)
# How readily each office reads, so the report shows differences: every
# fifth job centre has read nothing yet, others all or part.
OFFICE_RATES = [0.0, 1.0, 0.5, 1.0, 0.8]


def _spec(offices, positions, role_names):
    return AudienceSpec.of(
        offices=Office.objects.filter(code__in=offices),
        positions=Position.objects.filter(title__in=positions),
        roles=Group.objects.filter(name__in=role_names),
    )


def _marks(article, readers, rng, now, version=None):
    """Acknowledgements of ``readers`` ((id, office id)) with believable
    dates: before a past deadline for most, after it for some."""
    cutoff = deadline_cutoff(article.mandatory_deadline)
    marks = []
    for user_id, _office in readers:
        if cutoff is not None and cutoff < now and rng.random() < 0.25:
            at = cutoff + timedelta(days=rng.randint(0, 8), hours=rng.randint(1, 9))
        else:
            at = now - timedelta(days=rng.randint(1, 25), hours=rng.randint(1, 9))
            if cutoff is not None:
                at = min(at, cutoff - timedelta(hours=rng.randint(2, 48)))
        marks.append(
            Acknowledgement(
                article=article,
                user_id=user_id,
                article_version=version or article.version,
                acknowledged_at=min(at, now),
            )
        )
    return marks


def _readers(spec, share, rng, rates):
    """A share of the audience, office by office at each office's own rate."""
    generated = members(spec).filter(username__startswith=STAFF_PREFIX)
    people = list(generated.values_list("pk", "profile__office_id").order_by("pk"))
    chosen = []
    for user_id, office_id in people:
        rate = min(1.0, share * 2 * rates.get(office_id, 0.5)) if share else 0
        if rng.random() < rate:
            chosen.append((user_id, office_id))
    return chosen


def seed_mandatory(users):
    """Create what is missing; return counts of what was created."""
    created = {"acknowledgements": 0, "ack_rounds": 0, "mandatory_reminders": 0}
    articles = {
        a.slug: a for a in Article.objects.published().filter(slug__in=AUDIENCES, mandatory=True)
    }
    if not articles or Acknowledgement.objects.filter(article__in=articles.values()).exists():
        return created
    rng = random.Random(11)
    now = timezone.now()
    today = timezone.localdate()
    offices = list(Office.objects.filter(kind=Office.Kind.JOB_CENTRE).order_by("pk"))
    rates = {office.pk: OFFICE_RATES[i % len(OFFICE_RATES)] for i, office in enumerate(offices)}
    editor = users["redaktor"]
    for slug, (office_codes, positions, role_names, days, share) in AUDIENCES.items():
        article = articles.get(slug)
        if article is None:
            continue
        deadline = None if days is None else today + timedelta(days=days)
        # A deadline set back then, so it may lie in the past now.
        Article.all_objects.filter(pk=article.pk).update(mandatory_deadline=deadline)
        article.mandatory_deadline = deadline
        spec = _spec(office_codes, positions, role_names)
        article_mandatory_apply(
            article=article, before=mandatory_snapshot(article_id=None), spec=spec, by=editor
        )
        marks = _marks(article, _readers(spec, share, rng, rates), rng, now)
        if slug in ("kodeks-klientocentrichnosti-szn-samarskoj-oblasti", REACK):
            # The demo's staff member has read these; the script again after its change.
            marks.append(_demo_mark(article, users["sotrudnik"], now))
        Acknowledgement.objects.bulk_create(marks, batch_size=1000)
        created["acknowledgements"] += len(marks)
        if slug == REACK:
            created["acknowledgements"] += _reack(article, spec, editor, rng, rates, now)
            created["ack_rounds"] += 1
    before = MandatoryReminder.objects.count()
    mandatory_reminders_send(today=today)
    created["mandatory_reminders"] = MandatoryReminder.objects.count() - before
    return created


def _demo_mark(article, user, now):
    return Acknowledgement(
        article=article,
        user=user,
        article_version=article.version,
        acknowledged_at=now - timedelta(days=40),
    )


def _reack(article, spec, editor, rng, rates, now):
    """A substantive change saved with «требуется повторное ознакомление»;
    part of those who had read it have read the new version too."""
    before = mandatory_snapshot(article_id=article.pk)
    article.body += (
        "<h2>Звонок работодателю</h2><p>Представьтесь, назовите центр занятости и цель звонка. "
        "Если не можете ответить сразу, предложите перезвонить в течение рабочего дня и "
        "запишите номер.</p>"
    )
    article._change_reason = "Добавлен порядок звонка работодателю"
    article.save()
    applied = article_mandatory_apply(
        article=article, before=before, spec=spec, reack_summary=REACK_SUMMARY, by=editor
    )
    started = now - timedelta(days=5)
    AcknowledgementRound.objects.filter(pk=applied.round.pk).update(started_at=started)
    earlier = list(
        Acknowledgement.objects.filter(article=article).values_list(
            "user_id", "user__profile__office_id"
        )
    )
    sotrudnik = editor.__class__.objects.get(username="sotrudnik").pk
    again = [r for r in earlier if r[0] != sotrudnik and rng.random() < 0.4]
    marks = [
        Acknowledgement(
            article=article,
            user_id=user_id,
            article_version=article.version,
            acknowledged_at=now - timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 9)),
        )
        for user_id, _office in again
    ]
    Acknowledgement.objects.bulk_create(marks, batch_size=1000)
    return len(marks)


# «Для вас»: sections (with their subsections and articles) and single
# articles targeted at positions and office subtrees.
# slug -> (offices by code, positions)
TARGETED_SECTIONS = {
    "ecp-servisy-dlya-rabotodatelej": ((), ("специалист по работе с работодателями",)),
    "ecp-servisy-dlya-grazhdan": ((), ("специалист по работе с гражданами", "консультант")),
    "profili-klientskih-grupp": (
        (),
        ("специалист по работе с гражданами", "консультант", "психолог"),
    ),
    "indeks-klientocentrichnosti": ((), ("руководитель ЦЗН", "заместитель руководителя ЦЗН")),
    "proekty-po-uluchsheniyu-processov": ((), ("руководитель ЦЗН",)),
}
TARGETED_ARTICLES = {
    "standart-gosudarstvo-dlya-biznesa": ((), ("специалист по работе с работодателями",)),
    # Everyone in the Samara Zheleznodorozhny department's subtree.
    "skript-razgovor-s-nedovolnym-klientom": (("to-samara-zhd",), ()),
    "kejs-sokrashchenie-ozhidaniya-tolyatti": (("to-tolyatti",), ()),
}


def seed_targeting():
    """Target the demo's sections and articles not targeted yet; return how
    many were targeted now (not part of the seed summary)."""
    count = 0
    sections = Section.objects.filter(slug__in=TARGETED_SECTIONS, target_audience__isnull=True)
    for section in sections:
        section_target_apply(section=section, spec=_spec(*TARGETED_SECTIONS[section.slug], ()))
        count += 1
    articles = Article.objects.filter(slug__in=TARGETED_ARTICLES, target_audience__isnull=True)
    for article in articles:
        article_target_apply(article=article, spec=_spec(*TARGETED_ARTICLES[article.slug], ()))
        count += 1
    return count
