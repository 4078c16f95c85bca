"""Demo positions and the region's staff: the real positions of a job centre,
and about 600 generated people over the 80 demo offices (the managing
centre, the territorial departments, the job centres), so that the reading
report has something to count. Generated people cannot log in (no
password); the five demo logins are made by kb_portal.demo."""

import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from people import roles
from people.models import Office, Position, Profile

# The reference list: what the people of a regional employment service are.
POSITIONS = [
    "руководитель ЦЗН",
    "заместитель руководителя ЦЗН",
    "специалист по работе с гражданами",
    "специалист по работе с работодателями",
    "специалист по профобучению",
    "специалист по профориентации",
    "специалист по социальным выплатам",
    "консультант",
    "психолог",
    "юрист",
    "начальник территориального отдела",
    "главный специалист",
    "ведущий специалист",
    "методист",
    "аналитик",
    "специалист по информационным технологиям",
    "специалист по кадрам",
    "бухгалтер",
    "редактор базы знаний",
    "член рабочей группы по клиентоцентричности",
    "начальник отдела клиентского опыта, руководитель рабочей группы",
    "администратор портала",
]

# Who works where: (position, how many) per office kind; a job centre gets
# a random share of the optional ones.
JOB_CENTRE_STAFF = [
    ("руководитель ЦЗН", 1),
    ("специалист по работе с гражданами", 2),
    ("специалист по работе с работодателями", 2),
    ("консультант", 1),
    ("специалист по профобучению", 1),
    ("специалист по социальным выплатам", 1),
]
JOB_CENTRE_OPTIONAL = [
    "заместитель руководителя ЦЗН",
    "психолог",
    "юрист",
    "специалист по профориентации",
    "консультант",
]
DEPARTMENT_STAFF = [("начальник территориального отдела", 1), ("главный специалист", 1)]
CENTRE_STAFF = [
    ("главный специалист", 10),
    ("ведущий специалист", 12),
    ("методист", 8),
    ("аналитик", 6),
    ("юрист", 5),
    ("специалист по информационным технологиям", 7),
    ("специалист по кадрам", 5),
    ("бухгалтер", 7),
]

MALE = ["Алексей", "Андрей", "Дмитрий", "Сергей", "Иван", "Михаил", "Николай", "Павел", "Артём"]
FEMALE = ["Анна", "Елена", "Ольга", "Мария", "Наталья", "Татьяна", "Ирина", "Светлана", "Юлия"]
SURNAMES = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
]
STAFF_PREFIX = "demo-staff-"


def seed_positions():
    """The reference list; returns how many positions were created."""
    existing = set(Position.objects.values_list("title", flat=True))
    missing = [title for title in POSITIONS if title not in existing]
    for title in missing:
        Position.objects.create(title=title)  # one by one: each gets its history entry
    return len(missing)


def position(title):
    return Position.objects.get_or_create(title=title)[0]


def _people_for(office, rng):
    if office.kind == Office.Kind.JOB_CENTRE:
        staff = [title for title, count in JOB_CENTRE_STAFF for _ in range(count)]
        staff += rng.sample(JOB_CENTRE_OPTIONAL, rng.randint(1, 3))
        return staff
    plan = DEPARTMENT_STAFF if office.kind == Office.Kind.DEPARTMENT else CENTRE_STAFF
    return [title for title, count in plan for _ in range(count)]


def seed_staff():
    """About 600 generated people over the offices, each with a position and
    the role «Сотрудник»; returns how many were created. Their accounts have
    no usable password: they are there to be counted, not to log in."""
    if User.objects.filter(username__startswith=STAFF_PREFIX).exists():
        return 0
    rng = random.Random(2026)
    positions = {p.title: p for p in Position.objects.all()}
    offices = list(Office.objects.order_by("tree_id", "lft"))
    password = make_password(None)  # unusable, computed once
    people = []
    for office in offices:
        for title in _people_for(office, rng):
            people.append((office, positions[title]))
    users = []
    for number, _person in enumerate(people, start=1):
        female = rng.random() < 0.7
        surname = rng.choice(SURNAMES)
        users.append(
            User(
                username=f"{STAFF_PREFIX}{number:04d}",
                first_name=rng.choice(FEMALE if female else MALE),
                last_name=surname + ("а" if female else ""),
                password=password,
            )
        )
    User.objects.bulk_create(users, batch_size=500)
    created = {
        user.username: user for user in User.objects.filter(username__startswith=STAFF_PREFIX)
    }
    ordered = [created[user.username] for user in users]
    Profile.objects.bulk_create(
        [
            Profile(user=user, office=office, position=title)
            for user, (office, title) in zip(ordered, people, strict=True)
        ],
        batch_size=500,
    )
    staff_role = Group.objects.get(name=roles.STAFF)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=staff_role.pk) for user in ordered],
        batch_size=500,
    )
    return len(ordered)
