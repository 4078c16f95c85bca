"""Demo positions and the region's staff: the real positions of a job centre,
and about 600 generated people over the 80 demo offices (the managing
centre, the territorial departments, the job centres), so that the reading
report has something to count, with phones and subjects for the staff
directory. Generated people cannot log in (no password); the demo logins
are made by kb_portal.demo."""

import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from people import roles
from people.folding import expertise_key, name_key
from people.models import Expertise, Office, Position, Profile

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
            Profile(user=user, office=office, position=title, search_name=name_key(user))
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


# --- The directory: offices' addresses and phones, staff phones and subjects ---------------

# Telephone codes of the region's towns and district centres.
AREA_CODES = {
    "Самара": "846",
    "Тольятти": "8482",
    "Сызрань": "8464",
    "Новокуйбышевск": "84635",
    "Чапаевск": "84639",
    "Жигулёвск": "84862",
    "Отрадный": "84661",
    "Октябрьск": "84646",
    "Похвистнево": "84656",
    "Кинель": "84663",
    "Нефтегорск": "84670",
}
TOWNS = set(AREA_CODES)
STREETS = [
    "ул. Ленина",
    "ул. Советская",
    "ул. Мира",
    "ул. Молодёжная",
    "ул. Победы",
    "ул. Садовая",
    "ул. Гагарина",
    "ул. Комсомольская",
    "ул. Кирова",
    "ул. Куйбышева",
    "ул. Чапаева",
    "ул. Пионерская",
]
SAMARA_STREETS = [
    "ул. Агибалова",
    "ул. Ново-Садовая",
    "пр. Кирова",
    "ул. Победы",
    "ул. Краснодонская",
    "ул. Гагарина",
    "Московское ш.",
    "ул. Льва Толстого",
    "ул. Фрунзе",
    "ул. Стара-Загора",
]
# What people of each position are asked about; each gets two or three.
SUBJECTS = {
    "руководитель ЦЗН": ["обращения клиентов", "работодатели", "клиентоцентричность"],
    "заместитель руководителя ЦЗН": ["обращения клиентов", "квотирование", "отчётность"],
    "специалист по работе с гражданами": [
        "регистрация безработных",
        "пособие по безработице",
        "подбор вакансий",
        "портал Работа России",
        "СВО",
        "инвалидность",
        "предпенсионеры",
        "молодёжь",
    ],
    "специалист по работе с работодателями": [
        "работодатели",
        "квотирование",
        "ярмарки вакансий",
        "временное трудоустройство",
        "портал Работа России",
        "инвалидность",
    ],
    "специалист по профобучению": ["профобучение", "переобучение", "предпенсионеры", "СВО"],
    "специалист по профориентации": ["профориентация", "молодёжь", "школьники и студенты"],
    "специалист по социальным выплатам": [
        "пособие по безработице",
        "социальные выплаты",
        "материальная помощь",
        "досрочная пенсия",
    ],
    "консультант": ["портал Работа России", "Госуслуги", "запись на приём", "консультирование"],
    "психолог": ["психологическая поддержка", "СВО", "профориентация", "инвалидность"],
    "юрист": ["трудовое право", "жалобы", "СВО", "квотирование"],
    "начальник территориального отдела": ["межведомственное взаимодействие", "работодатели"],
    "главный специалист": ["мониторинг", "отчётность", "квотирование", "профобучение"],
    "ведущий специалист": ["отчётность", "портал Работа России", "СВО", "инвалидность"],
    "методист": ["стандарты обслуживания", "скрипты", "клиентоцентричность"],
    "аналитик": ["индекс клиентоцентричности", "анкетирование", "отчётность"],
    "специалист по информационным технологиям": [
        "портал Работа России",
        "доступ к порталу",
        "оргтехника",
    ],
    "специалист по кадрам": ["кадры", "наставничество", "отпуска"],
    "бухгалтер": ["зарплата", "командировки", "материальная помощь"],
}


def _office_phone(office, rng):
    code = AREA_CODES.get(office.city, "846")
    local = 10 - len(code)  # after +7, the code and the local number make ten digits
    number = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(local - 1))
    if local == 7:
        local_text = f"{number[:3]}-{number[3:5]}-{number[5:]}"
    elif local == 6:
        local_text = f"{number[:2]}-{number[2:4]}-{number[4:]}"
    else:
        local_text = f"{number[:1]}-{number[1:3]}-{number[3:]}"
    return f"+7 {code} {local_text}"


def _office_address(office, rng):
    city = office.city or "Самара"
    place = ("г. " if city in TOWNS else "с. ") + city
    streets = SAMARA_STREETS if city == "Самара" else STREETS
    return f"{place}, {rng.choice(streets)}, д. {rng.randint(1, 120)}"


def seed_directory(expertise_of):
    """Addresses and phones of the offices; phones (the office's, with an
    extension) and two or three subjects of the generated staff; the subjects
    of the demo logins (``expertise_of``: {login: [subject, …]}). Done once:
    after the first subject exists, whatever people changed stays. Returns
    how many subjects were created."""
    if Expertise.objects.exists():
        return 0
    rng = random.Random(2612)
    offices = list(Office.objects.order_by("tree_id", "lft"))
    for office in offices:
        if not office.address:
            office.address = _office_address(office, rng)
        if not office.phone:
            office.phone = _office_phone(office, rng)
    Office.objects.bulk_update(offices, ["address", "phone"], batch_size=500)
    names = {name for subjects in SUBJECTS.values() for name in subjects}
    names |= {name for subjects in expertise_of.values() for name in subjects}
    for name in sorted(names):
        Expertise.objects.create(name=name)  # one by one: each gets its history entry
    by_key = {row.key: row.pk for row in Expertise.objects.all()}
    links = []
    staff = list(
        Profile.objects.filter(user__username__startswith=STAFF_PREFIX)
        .select_related("office", "position")
        .order_by("user__username")
    )
    extensions = {}
    for profile in staff:
        if profile.office is not None and not profile.phone:
            extensions[profile.office_id] = extensions.get(profile.office_id, 100) + 1
            profile.phone = f"{profile.office.phone} доб. {extensions[profile.office_id]}"
        choices = SUBJECTS.get(profile.position.title if profile.position else "", [])
        for name in rng.sample(choices, min(len(choices), rng.randint(2, 3))):
            links.append((profile.pk, by_key[expertise_key(name)]))
    Profile.objects.bulk_update(staff, ["phone"], batch_size=500)
    for profile in Profile.objects.filter(user__username__in=list(expertise_of)).select_related(
        "user"
    ):
        for name in expertise_of[profile.user.username]:
            links.append((profile.pk, by_key[expertise_key(name)]))
    through = Profile.expertise.through
    through.objects.bulk_create(
        [through(profile_id=profile, expertise_id=expertise) for profile, expertise in links],
        batch_size=1000,
    )
    return len(names)
