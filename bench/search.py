"""Benchmark of search: index build time, query latency, recall@5 and MRR.

    .venv/bin/python bench/search.py [--articles 10000 100000] [--repeat 5]

Uses the database DATABASE_URL points to (SQLite by default) but always in a
throw-away test database. Builds the given numbers of articles of Russian
text made from the vocabulary of an employment service (inflected forms,
abbreviations, hyphenated words), a fifth of them with an attachment's text,
and hides among them the articles our query set expects. Prints the index
build time (rebuild_search_index), p50/p95 of the search itself (the
selector: matching, facets, ranking, snippets) and of the whole results page
through Django's request stack, recall@5 and MRR of the query set, and the
time of the queries whose words needed typo correction.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb_portal.test_settings")

# Word forms as they occur in the knowledge base: each line one lemma's forms.
FORMS = """
клиент клиента клиенту клиентом клиенты клиентов клиентам
маршрут маршрута маршруты маршрутов маршрутам
работодатель работодателя работодателю работодатели работодателей работодателям
услуга услуги услугу услуг услугам услугами
консультация консультации консультацию консультаций
специалист специалиста специалисту специалисты специалистов
центр центра центре центров
занятость занятости
служба службы службу службой
вакансия вакансии вакансий вакансиям
обучение обучения обучению
пособие пособия пособий
выплата выплаты выплат выплатам
документ документа документы документов
заявление заявления заявлений
анкета анкеты анкет
оценка оценки оценку
качество качества
обслуживание обслуживания
ожидание ожидания
запись записи
приём приёма приёму
обращение обращения обращений
сотрудник сотрудника сотрудники сотрудников
гражданин гражданина граждане граждан гражданам
соискатель соискателя соискатели соискателей
безработный безработного безработные безработных
молодёжь молодёжи
студент студента студенты студентов
регион региона регионе
портал портала порталу
сервис сервиса сервисы
стандарт стандарта стандарты
регламент регламента регламенты
порядок порядка
профиль профиля профили
путь пути
опыт опыта
встреча встречи
поддержка поддержки
помощь помощи
трудоустройство трудоустройства
резюме
собеседование собеседования
программа программы программ
мероприятие мероприятия мероприятий
отчёт отчёта отчёты
срок срока сроки
результат результата результаты
новый новая новые новых
электронный электронная электронного
личный личного личная
первичный первичного первичная
единый единого единая
социальный социальной социальные
профессиональный профессионального профессиональное
временный временного
региональный региональной
клиентский клиентского клиентские
""".strip().splitlines()
FILLER = [
    "и",
    "в",
    "на",
    "с",
    "по",
    "для",
    "о",
    "при",
    "после",
    "перед",
    "через",
    "который",
    "которые",
    "если",
    "когда",
    "это",
    "все",
    "каждый",
    "нужно",
    "должен",
    "можно",
    "также",
    "необходимо",
    "следует",
    "обратиться",
    "уточнить",
    "проверить",
    "заполнить",
    "направить",
    "рассмотреть",
    "получить",
    "оформить",
    "предоставляет",
    "проводит",
    "ЦЗН",
    "ЕЦП",
    "МФЦ",
    "СЗН",
]

# The articles the query set expects: title, summary, body, attachment text, tags.
TARGETS = {
    "student": ("Маршрут клиента-студента", "", "", "", []),
    "disabled": ("Путь клиента Инвалид", "", "", "", []),
    "code": ("Кодекс клиентоцентричности", "Ценности службы", "", "", []),
    "quota": ("Памятка работодателю о квотировании рабочих мест", "", "", "", []),
    "standard": ("Стандарт обслуживания в ЦЗН", "", "", "", []),
    "svo": ("Выплаты участникам СВО и членам их семей", "", "", "", ["меры поддержки"]),
    "ecp": ("Регистрация на портале «Работа России» через ЕЦП", "", "", "", []),
    "mtzn": ("МТЗН: приказ о ежемесячной отчётности", "", "", "", []),
    "script": ("Скрипт телефонного разговора с соискателем", "", "", "", []),
    "preretired": ("Профиль клиентской группы: предпенсионеры 50+", "", "", "", []),
    "career": ("Алгоритм оказания услуги по профориентации", "", "", "", []),
    "angry": ("Кейс: трудный разговор с недовольным клиентом", "", "", "", []),
    "resume": ("Видео: как заполнить резюме на портале", "", "", "", []),
    "benefit": ("Вопрос-ответ: пособие по безработице", "", "", "", []),
    "mobile": (
        "Организация выездного приёма",
        "",
        "Мобильный офис работает в сельских поселениях по графику.",
        "",
        [],
    ),
    "mentor": (
        "Положение о наставничестве",
        "",
        "",
        "Программа адаптации молодых специалистов: наставник сопровождает новичка.",
        [],
    ),
    "map": (
        "Презентация для ярмарки",
        "",
        "",
        "Интерактивная карта вакансий региона обновляется ежедневно.",
        [],
    ),
    "online": ("Онлайн-консультация работодателей", "", "", "", []),
    "checklist": ("Чек-лист проверки качества обслуживания", "", "", "", []),
    "feedback": ("Учёт отзывов клиентов", "", "", "", []),
    "cjm": ("Customer Journey Map: карта пути клиента", "", "", "", []),
    "navigator": ("Навигатор по мерам поддержки", "", "", "", []),
    "index": ("Индекс клиентоцентричности: методика расчёта", "", "", "", []),
    "contract": ("Социальный контракт: порядок заключения", "", "", "", []),
    "retraining": ("Переобучение безработных граждан", "", "", "", []),
    "complaints": ("Жалобы клиентов: порядок рассмотрения", "", "", "", []),
    "queue": ("Электронная очередь в центре занятости", "", "", "", []),
    "selfemployed": ("Самозанятость: консультирование граждан", "", "", "", []),
    "flexible": (
        "Сборник практик",
        "",
        "Работодатели предлагают гибкий график для мам с детьми дошкольного возраста.",
        "",
        [],
    ),
    "internship": ("Стажировка выпускников колледжей", "", "", "", []),
    "fair": ("Выездная ярмарка вакансий для молодёжи", "", "", "", []),
    "burnout": ("Профилактика выгорания сотрудников", "", "", "", []),
}

# query -> the article expected first
QUERIES = [
    ("маршруты клиентов студентов", "student"),
    ("маршрут студента", "student"),
    ("путь клиента инвалида", "disabled"),
    ("инвалидов", "disabled"),
    ("кодекс клиентоцентричности", "code"),
    ("клиентоцентричость кодекс", "code"),
    ("клиентоцентричнсоть", "code"),
    ("квотирование работодателям", "quota"),
    ("квотированее рабочих мест", "quota"),
    ("стандарт обслуживания ЦЗН", "standard"),
    ("выплаты СВО", "svo"),
    ("участники сво семьи", "svo"),
    ("регистрация ЕЦП", "ecp"),
    ("МТЗН отчетность", "mtzn"),
    ("мтзн ежемесячные отчёты", "mtzn"),
    ("телефонный скрипт", "script"),
    ("предпенсионеров профиль", "preretired"),
    ("профориентация алгоритм", "career"),
    ("профорентация", "career"),
    ("недовольный клиент", "angry"),
    ("заполнить резюме", "resume"),
    ("пособие безработица", "benefit"),
    ("мобильный офис сельское поселение", "mobile"),
    ("адаптация молодых специалистов", "mentor"),
    ("интерактивная карта вакансий", "map"),
    ("онлайн консультация", "online"),
    ("онлайн-консультации работодателям", "online"),
    ("чек-лист качества", "checklist"),
    ("чеклист", "checklist"),
    ("учет отзывов", "feedback"),
    ("customer journeys", "cjm"),
    ("навигатор мер подержки", "navigator"),
    ("методика расчета индекса", "index"),
    ("социальные контракты", "contract"),
    ("переобучения безработных", "retraining"),
    ("рассмотрение жалоб", "complaints"),
    ("электроная очередь", "queue"),
    ("самозанятость консультирование", "selfemployed"),
    ("гибкий график", "flexible"),
    ("стажировки выпускников", "internship"),
    ("ярмарка вакансий молодежи", "fair"),
    ("выгарание сотрудников", "burnout"),
]


SYLLABLES = [
    "ба",
    "ве",
    "ги",
    "до",
    "зу",
    "ка",
    "ле",
    "ми",
    "но",
    "пу",
    "ра",
    "се",
    "ти",
    "фо",
    "ху",
    "ча",
    "ша",
    "ще",
    "бы",
    "ро",
    "ло",
    "мо",
    "на",
    "ре",
    "та",
    "ко",
]
ENDINGS = [
    "а",
    "ы",
    "у",
    "ой",
    "ом",
    "е",
    "и",
    "ов",
    "ам",
    "ами",
    "ах",
    "ий",
    "ая",
    "ое",
    "ого",
    "ому",
    "ость",
    "ости",
    "ние",
    "ния",
    "ть",
    "ет",
    "ют",
]


def pseudo_lemmas(rng, n=20_000):
    """Words that look Russian but mean nothing: the long tail of a real text
    (a few thousand distinct words per hundred articles), so that common
    words are common and rare ones rare, as in a real knowledge base."""
    stems = set()
    while len(stems) < n:
        stems.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return [[stem + ending for ending in rng.sample(ENDINGS, 4)] for stem in sorted(stems)]


class Text:
    """Zipf-distributed words: 73 % long tail, 12 % domain words, 15 % filler.

    «клиент» stays the most common domain word (as it is in a CX knowledge
    base); the order of the others is shuffled once.
    """

    def __init__(self, rng):
        self.rng = rng
        self.tail = pseudo_lemmas(rng)
        self.tail_weights = _cumulative(len(self.tail))
        domain = [line.split() for line in FORMS]
        rest = domain[1:]
        random.Random(7).shuffle(rest)
        self.domain = [domain[0], *rest]
        self.domain_weights = _cumulative(len(self.domain))

    def words(self, n, *, distinct=False):
        rng, out, seen = self.rng, [], set()
        while len(out) < n:
            want = n - len(out)
            tail = rng.choices(self.tail, cum_weights=self.tail_weights, k=want)
            domain = rng.choices(self.domain, cum_weights=self.domain_weights, k=want)
            for i in range(want):
                roll = rng.random()
                if roll < 0.73:
                    lemma = tail[i]
                elif roll < 0.85:
                    lemma = domain[i]
                else:
                    lemma = (rng.choice(FILLER),)
                if distinct:
                    if lemma[0] in seen:
                        continue
                    seen.add(lemma[0])
                out.append(rng.choice(lemma))
        return " ".join(out)


def _cumulative(n):
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank
        out.append(total)
    return out


_TEXT = {}


def text(rng, n, *, distinct=False):
    if id(rng) not in _TEXT:
        _TEXT[id(rng)] = Text(rng)
    return _TEXT[id(rng)].words(n, distinct=distinct)


def build(n_articles, rng):
    """Articles straight into the tables (bulk), then the index is built."""
    from django.contrib.auth.models import Group, User
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Attachment, Section
    from people import roles

    sections = []
    for r in range(4):
        root = Section.objects.create(title=f"Раздел {r}", slug=f"root-{r}")
        sections.append(root)
        for c in range(6):
            sections.append(
                Section.objects.create(title=f"Подраздел {r}.{c}", slug=f"s-{r}-{c}", parent=root)
            )
    now = timezone.now()
    kinds = Article.Kind.values
    batch, slugs = [], {}
    for i in range(n_articles):
        batch.append(
            Article(
                section=rng.choice(sections),
                title=text(rng, rng.randint(4, 7), distinct=True).capitalize(),
                slug=f"article-{i}",
                summary=text(rng, 20),
                body=f"<p>{text(rng, 60)}</p><p>{text(rng, 60)}</p>",
                kind=rng.choice(kinds),
                status=Article.Status.PUBLISHED,
                published_at=now - timezone.timedelta(days=i % 700),
                updated_at=now - timezone.timedelta(days=i % 300),
                version=1,
            )
        )
    for key, (title, summary, body, _attachment, _tags) in TARGETS.items():
        slugs[key] = f"target-{key}"
        batch.append(
            Article(
                section=rng.choice(sections),
                title=title,
                slug=slugs[key],
                summary=summary or text(rng, 20),
                body=f"<p>{text(rng, 50)} {body} {text(rng, 50)}</p>",
                kind=rng.choice(kinds),
                status=Article.Status.PUBLISHED,
                published_at=now - timezone.timedelta(days=400),
                updated_at=now - timezone.timedelta(days=200),
                version=1,
            )
        )
    Article.objects.bulk_create(batch, batch_size=2000)
    ids = dict(Article.objects.values_list("slug", "id"))
    attachments = []
    for i in range(0, n_articles, 5):
        attachments.append(
            Attachment(
                article_id=ids[f"article-{i}"],
                file=f"attachments/bench/{i}.txt",
                original_name=f"документ-{i}.txt",
                kind="text",
                mime_type="text/plain",
                size=1000,
                extracted_text=text(rng, 200),
            )
        )
    for key, (_title, _summary, _body, attachment, _tags) in TARGETS.items():
        if attachment:
            attachments.append(
                Attachment(
                    article_id=ids[slugs[key]],
                    file=f"attachments/bench/{key}.txt",
                    original_name=f"{key}.txt",
                    kind="text",
                    mime_type="text/plain",
                    size=1000,
                    extracted_text=f"{text(rng, 100)} {attachment} {text(rng, 100)}",
                )
            )
    Attachment.objects.bulk_create(attachments, batch_size=2000)
    tags = [Tag.objects.create(name=f"метка {t}", slug=f"metka-{t}") for t in range(40)]
    tags.append(Tag.objects.create(name="меры поддержки", slug="mery-podderzhki"))
    ct = ContentType.objects.get_for_model(Article)
    items = [
        TaggedItem(tag=tag, content_type=ct, object_id=article_id)
        for slug, article_id in ids.items()
        if slug.startswith("article-")
        for tag in rng.sample(tags[:40], 2)
    ]
    items.append(TaggedItem(tag=tags[-1], content_type=ct, object_id=ids[slugs["svo"]]))
    TaggedItem.objects.bulk_create(items, batch_size=5000)
    user = User.objects.create_user(f"bench{n_articles}", password="bench-pass-123")
    user.groups.add(Group.objects.get(name=roles.STAFF))
    return user, {key: ids[slug] for key, slug in slugs.items()}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def run(n_articles, repeat, rng):
    from django.db import connection
    from django.test import Client

    from articles.selectors import section_tree
    from search.backends import Filters
    from search.selectors import search_articles
    from search.services import search_rebuild

    start = time.perf_counter()
    user, targets = build(n_articles, rng)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    search_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    indexed = time.perf_counter() - start

    tree = section_tree()
    ranks, selector_ms, typo_ms = [], [], {}
    for query, key in QUERIES:
        found = search_articles(query=query, filters=Filters(), tree=tree)
        if found.suggestion:
            typo_ms[query] = []
        ids = [result.article.pk for result in found.page][:10]
        rank = ids.index(targets[key]) + 1 if targets[key] in ids else None
        ranks.append(rank)
        if rank != 1:
            got = [result.article.title for result in found.page][:3]
            print(f"    {query!r}: expected at {rank}; got {got}")
        for _ in range(repeat):
            began = time.perf_counter()
            search_articles(query=query, filters=Filters(), tree=tree)
            selector_ms.append((time.perf_counter() - began) * 1000)
            if query in typo_ms:
                typo_ms[query].append(selector_ms[-1])
    client = Client()
    client.force_login(user)
    page_ms = []
    for query, _key in QUERIES:
        client.get("/search/", {"q": query})
        for _ in range(repeat):
            began = time.perf_counter()
            response = client.get("/search/", {"q": query})
            page_ms.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
    recall = sum(1 for rank in ranks if rank is not None and rank <= 5) / len(ranks)
    mrr = sum(1 / rank for rank in ranks if rank) / len(ranks)
    print(
        f"{connection.vendor:10} {n_articles:>7} articles: generated in {generated:.0f} s, "
        f"index built in {indexed:.1f} s"
    )
    print(
        f"  search (selector):  p50 {statistics.median(selector_ms):6.1f} ms   "
        f"p95 {percentile(selector_ms, 0.95):6.1f} ms"
    )
    print(
        f"  results page:       p50 {statistics.median(page_ms):6.1f} ms   "
        f"p95 {percentile(page_ms, 0.95):6.1f} ms"
    )
    print(f"  {len(QUERIES)} queries: recall@5 {recall:.3f}   MRR {mrr:.3f}")
    if typo_ms:
        every = [ms for times in typo_ms.values() for ms in times]
        print(
            f"  {len(typo_ms)} corrected (typo) queries, search: "
            f"p50 {statistics.median(every):.1f} ms   p95 {percentile(every, 0.95):.1f} ms"
        )
        for query, times in typo_ms.items():
            print(f"    {query!r}: median {statistics.median(times):.1f} ms")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    for n_articles in args.articles:
        old_name = db["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(n_articles, args.repeat, random.Random(42))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
