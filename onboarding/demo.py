"""The demo's «Путь новичка»: a path for «специалист по работе с гражданами»,
the demo login ``sotrudnik`` (that position) started recently with two steps
done, and some generated staff of the position who started recently with
partial progress (a few past the period), so the managers' page has rows.
Every other generated person gets a start date years back: they are not
newcomers. Runs once: a second run finds the path and changes nothing."""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from articles.models import Article
from onboarding.models import ReadingPath, ReadingPathProgress, ReadingPathStep
from people.demo import STAFF_PREFIX, position
from people.models import Profile

PATH_TITLE = "Первые недели специалиста по работе с гражданами"
PATH_POSITION = "специалист по работе с гражданами"
# (article slug, expected minutes), in order.
PATH_STEPS = [
    ("chto-takoe-klientskij-opyt", 15),
    ("deklaraciya-cennostej-klientocentrichnosti", 10),
    ("kodeks-klientocentrichnosti-szn-samarskoj-oblasti", 30),
    ("standart-vstrechi-klienta-v-czn", 20),
    ("skript-telefonnogo-razgovora", 15),
    ("skript-razgovor-s-nedovolnym-klientom", 20),
    ("profil-soiskatel", 15),
]
NEWCOMERS = 14  # generated staff of the position who started recently


def _moment(day, rng):
    return timezone.make_aware(datetime.combine(day, time(rng.randint(9, 17), rng.randint(0, 59))))


def seed_onboarding(users):
    created = {"reading_paths": 0, "reading_path_marks": 0}
    if ReadingPath.objects.filter(title=PATH_TITLE).exists():
        return created
    rng = random.Random(2611)
    today = timezone.localdate()
    articles = {
        article.slug: article
        for article in Article.objects.published().filter(
            slug__in=[slug for slug, _minutes in PATH_STEPS]
        )
    }
    path = ReadingPath.objects.create(
        title=PATH_TITLE,
        position=position(PATH_POSITION),
        description=(
            "С чего начать работу с посетителями центра занятости: ценности и кодекс, "
            "стандарт встречи, скрипты разговора и профиль самой частой группы клиентов."
        ),
    )
    steps = [
        ReadingPathStep.objects.create(
            path=path, article=articles[slug], expected_minutes=minutes, order=number * 10
        )
        for number, (slug, minutes) in enumerate(PATH_STEPS, start=1)
        if slug in articles
    ]
    created["reading_paths"] = 1

    # Not newcomers: every generated person without a start date started years ago.
    veterans = list(
        Profile.objects.filter(user__username__startswith=STAFF_PREFIX, started_on__isnull=True)
    )
    for profile in veterans:
        profile.started_on = today - timedelta(days=rng.randint(400, 6000))
    newcomers = [p for p in veterans if p.position_id == path.position_id]
    newcomers = rng.sample(newcomers, min(NEWCOMERS, len(newcomers)))
    marks = []
    for index, profile in enumerate(newcomers):
        # Most within the period, the last few past it with steps left.
        days_ago = rng.randint(3, 80) if index < NEWCOMERS - 3 else rng.randint(95, 150)
        profile.started_on = today - timedelta(days=days_ago)
        done = rng.randint(0, len(steps) - 1) if index % 4 else len(steps) * (index < 4)
        for step in steps[:done]:
            day = profile.started_on + timedelta(days=rng.randint(0, max(0, days_ago - 1)))
            marks.append(
                ReadingPathProgress(user_id=profile.user_id, step=step, done_at=_moment(day, rng))
            )
    Profile.objects.bulk_update(veterans, ["started_on"], batch_size=500)

    sotrudnik = users.get("sotrudnik") or User.objects.filter(username="sotrudnik").first()
    profile = Profile.objects.filter(user=sotrudnik).first() if sotrudnik else None
    if profile is not None and profile.started_on is None:
        profile.started_on = today - timedelta(days=12)
        profile.save(update_fields=["started_on"])
        for offset, step in enumerate(steps[:2]):
            day = profile.started_on + timedelta(days=offset + 1)
            marks.append(ReadingPathProgress(user=sotrudnik, step=step, done_at=_moment(day, rng)))
    ReadingPathProgress.objects.bulk_create(marks, batch_size=500)
    created["reading_path_marks"] = len(marks)
    return created
