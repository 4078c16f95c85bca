"""«Ознакомление с обязательными документами»: the managers' report.

Per document in force and per office of the person's scope (the office
tree, each office with the total of its subtree): how many people the
document is for, how many acknowledged the required version on time, late,
and not yet. The figures come from one statement over every (document,
person) pair, grouped by document and office (``_COUNTS``); the office
subtotals are added up in Python from the tree, so the number of queries
does not grow with staff, documents or offices. Who has not read is a
second statement, one page at a time.

Who may open it: Руководитель, рабочая группа, администратор, редактор
(``people.roles.can_view_mandatory_report``). Scope: the working group,
administrators and editors see the region; a Руководитель the office of
their profile and the offices under it (``people.scopes.office_scope``).
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from articles.mandatory import deadline_cutoff
from articles.models import Acknowledgement, Article, Section
from people import roles
from people.audiences import pairs_member_sql
from people.models import AudienceRole, Office, Position, Profile
from people.roles import has_role
from people.scopes import Scope, office_scope

UNREAD_PAGE = 100
# At most this many people an export lists as not having read (a region of
# 50,000 staff and 200 documents could have millions of such pairs).
EXPORT_UNREAD_LIMIT = 100_000


def report_scope(user, offices=None):
    """The offices ``user`` sees in the report (PermissionDenied for others);
    ``offices`` as for ``office_scope``. Also the scope of «Аналитика чтения»."""
    if has_role(user, roles.EDITOR) and not has_role(user, roles.MANAGER):
        return Scope(everything=True)
    return office_scope(user=user, offices=offices)


@dataclass
class Counts:
    audience: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def read(self):
        return self.on_time + self.late

    @property
    def not_yet(self):
        return self.audience - self.read

    def share(self, value):
        return None if not self.audience else round(100 * value / self.audience, 1)

    @property
    def on_time_share(self):
        return self.share(self.on_time)

    @property
    def late_share(self):
        return self.share(self.late)

    @property
    def not_yet_share(self):
        return self.share(self.not_yet)

    @property
    def read_share(self):
        return self.share(self.read)

    def add(self, other):
        self.audience += other.audience
        self.on_time += other.on_time
        self.late += other.late


@dataclass
class DocumentRow:
    article: Article
    counts: Counts = field(default_factory=Counts)

    @property
    def overdue(self):
        deadline = self.article.mandatory_deadline
        return deadline is not None and deadline < timezone.localdate()


@dataclass
class OfficeRow:
    office: Office
    counts: Counts = field(default_factory=Counts)  # the office and everything under it
    own: Counts = field(default_factory=Counts)  # its own staff
    has_children: bool = False


@dataclass
class Report:
    scope: Scope
    office: Office | None  # the office drilled into (None: the whole scope)
    article: Article | None  # the one document chosen (None: all)
    documents: list  # [DocumentRow] of every document in force
    offices: list  # [OfficeRow] of the chosen office's subtree, in tree order
    total: Counts
    without_office: Counts  # people without an office (shown with the region only)

    @property
    def shown_documents(self):
        return [
            row for row in self.documents if self.article is None or row.article == self.article
        ]


def report_documents():
    """The documents in force, by title (one query)."""
    sections = Section.objects.values_list("pk", flat=True)
    return list(
        Article.objects.published()
        .mandatory()
        .filter(section__in=sections)
        .select_related("section")
        .only(
            "id",
            "title",
            "slug",
            "mandatory_deadline",
            "mandatory_audience_id",
            "ack_required_version",
            "section__slug",
        )
        .order_by("title", "id")
    )


def scope_tree(scope, office=None):
    """The offices of ``office``'s subtree (the whole scope without one),
    in tree order, with what subtotals need (one query; none without an
    office in scope)."""
    if scope.no_office:
        return []
    root = office or scope.office
    offices = Office.objects.all()
    if root is not None:
        offices = offices.filter(tree_id=root.tree_id, lft__gte=root.lft, rght__lte=root.rght)
    return list(
        offices.only("id", "title", "level", "tree_id", "lft", "rght", "parent_id").order_by(
            "tree_id", "lft"
        )
    )


def _names():
    quote = connection.ops.quote_name
    user_model = get_user_model()
    return {
        "article": quote(Article._meta.db_table),
        "ack": quote(Acknowledgement._meta.db_table),
        "user": quote(user_model._meta.db_table),
        "profile": quote(Profile._meta.db_table),
        "office": quote(Office._meta.db_table),
        "position": quote(Position._meta.db_table),
        "ar": quote(AudienceRole._meta.db_table),
    }


def _with(documents, office):
    """The WITH part both statements share: ``d``, the documents (audience,
    required version, the first moment after the deadline) and ``s``, the
    active people of ``office``'s subtree (everyone without one) with their
    office and position. Returns (sql, params)."""
    n = _names()
    params = []
    cuts = [(d.pk, deadline_cutoff(d.mandatory_deadline)) for d in documents]
    cuts = [(pk, cut) for pk, cut in cuts if cut is not None]
    if cuts:
        cut = "CASE a.id " + " ".join("WHEN %s THEN %s" for _cut in cuts) + " END"
        for pk, moment in cuts:
            params += [pk, connection.ops.adapt_datetimefield_value(moment)]
    else:
        cut = f"CAST(NULL AS {connection.data_types['DateTimeField']})"
    marks = ", ".join(["%s"] * len(documents))
    params += [document.pk for document in documents]
    where = "u.is_active = %s"
    params.append(True)
    if office is not None:
        where += " AND o.tree_id = %s AND o.lft >= %s AND o.lft <= %s"
        params += [office.tree_id, office.lft, office.rght]
    # Only the models' own names and placeholders go into the text.
    sql = (
        f"WITH d AS (SELECT a.id AS article_id, a.mandatory_audience_id AS aud,"  # noqa: S608
        f" a.ack_required_version AS req, {cut} AS cut FROM {n['article']} a"
        f" WHERE a.id IN ({marks})),"
        f" s AS (SELECT u.id AS user_id, p.office_id, p.position_id FROM {n['user']} u"
        f" LEFT JOIN {n['profile']} p ON p.user_id = u.id"
        f" LEFT JOIN {n['office']} o ON o.id = p.office_id WHERE {where})"
    )
    return sql, params


TARGETED = "SELECT aud FROM d WHERE aud IS NOT NULL"


def _member(*, user="s.user_id", office="s.office_id", position="s.position_id"):
    return pairs_member_sql(
        audience="d.aud", user=user, office=office, position=position, audiences=TARGETED
    )


def _counts_sql(documents, office):
    """One statement: per (document, office) the audience, read on time and
    late. Four parts, added up by the outer GROUP BY:

    - documents for everyone: the people of each office, counted once;
    - targeted documents without roles: people counted by (office,
      position), so the audience rule is checked per such pair, not per
      person;
    - targeted documents naming roles: per person (roles are per person);
    - the acknowledgements of the required version by people in the
      audience, on time (before the first moment after the deadline) or
      late. A person holds at most one of those at a time (the service
      records none while one exists, and the required version only grows),
      so they are counted as they are.
    """
    n = _names()
    with_sql, params = _with(documents, office)
    roles_of = f"SELECT audience_id FROM {n['ar']} WHERE audience_id IN ({TARGETED})"  # noqa: S608
    on_time = "CASE WHEN d.cut IS NULL OR m.acknowledged_at < d.cut THEN 1 ELSE 0 END"
    late = "CASE WHEN d.cut IS NOT NULL AND m.acknowledged_at >= d.cut THEN 1 ELSE 0 END"
    sql = (
        f"{with_sql}, c AS (SELECT office_id, position_id, COUNT(*) AS n FROM s"  # noqa: S608
        " GROUP BY office_id, position_id)"
        " SELECT article_id, office_id, SUM(audience), SUM(on_time), SUM(late) FROM ("
        " SELECT d.article_id, c.office_id, c.n AS audience, 0 AS on_time, 0 AS late"
        " FROM d CROSS JOIN c WHERE d.aud IS NULL"
        " UNION ALL SELECT d.article_id, c.office_id, c.n, 0, 0 FROM d CROSS JOIN c"
        f" WHERE d.aud IS NOT NULL AND d.aud NOT IN ({roles_of})"
        f" AND {_member(user=None, office='c.office_id', position='c.position_id')}"
        " UNION ALL SELECT d.article_id, s.office_id, 1, 0, 0 FROM d CROSS JOIN s"
        f" WHERE d.aud IN ({roles_of}) AND {_member()}"
        f" UNION ALL SELECT d.article_id, s.office_id, 0, {on_time}, {late}"
        f" FROM {n['ack']} m JOIN d ON d.article_id = m.article_id"
        " JOIN s ON s.user_id = m.user_id"
        f" WHERE m.article_version >= d.req AND {_member()}"
        ") x GROUP BY article_id, office_id"
    )
    return sql, params


def pair_counts(*, documents, office=None):
    """{(document id, office id or None): Counts} over ``office``'s subtree
    (everyone without one). One statement."""
    if not documents:
        return {}
    sql, params = _counts_sql(documents, office)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (article_id, office_id): Counts(int(audience), int(on_time or 0), int(late or 0))
            for article_id, office_id, audience, on_time, late in cursor.fetchall()
        }


def build_report(*, scope, office=None, article=None, documents=None):
    """The report for ``scope``, drilled into ``office`` (in the scope) and
    narrowed to ``article`` (one of the documents in force). Three queries:
    documents, offices, the counts."""
    documents = report_documents() if documents is None else documents
    tree = scope_tree(scope, office)
    root = office or scope.office
    counts = pair_counts(documents=documents, office=root) if not scope.no_office else {}
    by_document = {document.pk: DocumentRow(document) for document in documents}
    rows = {o.pk: OfficeRow(o) for o in tree}
    total, without_office = Counts(), Counts()
    for (article_id, office_id), value in counts.items():
        by_document[article_id].counts.add(value)
        if article is not None and article_id != article.pk:
            continue
        total.add(value)
        if office_id in rows:
            rows[office_id].own.add(value)
        elif office_id is None:
            without_office.add(value)
    # Subtotals: each office adds its own to itself and to every ancestor in
    # the subtree shown (children come after parents in tree order).
    for row in reversed(tree):
        node = rows[row.pk]
        node.counts.add(node.own)
        parent = rows.get(row.parent_id)
        if parent is not None:
            parent.counts.add(node.counts)
            parent.has_children = True
    return Report(
        scope=scope,
        office=office,
        article=article,
        documents=list(by_document.values()),
        offices=[rows[o.pk] for o in tree],
        total=total,
        without_office=without_office,
    )


@dataclass
class UnreadRow:
    user_id: int
    name: str
    position: str
    office: str
    article: Article
    read_version: int | None  # they read an older version (re-asked)

    @property
    def overdue(self):
        deadline = self.article.mandatory_deadline
        return deadline is not None and deadline < timezone.localdate()


_UNREAD = (
    " SELECT u.id, u.first_name, u.last_name, u.username, pos.title, o.title, d.article_id,"
    " r.latest FROM d CROSS JOIN s JOIN {user} u ON u.id = s.user_id"
    " LEFT JOIN {office} o ON o.id = s.office_id"
    " LEFT JOIN {position} pos ON pos.id = s.position_id"
    # The marks of the scope's people, once: the latest version each read,
    # and whether one is of the required version (then they have read it).
    " LEFT JOIN (SELECT m.article_id, m.user_id, MAX(m.article_version) AS latest,"
    " MAX(CASE WHEN m.article_version >= d.req THEN 1 ELSE 0 END) AS valid FROM {ack} m"
    " JOIN d ON d.article_id = m.article_id JOIN s ON s.user_id = m.user_id"
    " GROUP BY m.article_id, m.user_id) r"
    " ON r.article_id = d.article_id AND r.user_id = s.user_id"
    " WHERE {member} AND (r.valid IS NULL OR r.valid = 0)"
    " ORDER BY o.tree_id, o.lft, u.last_name, u.first_name, u.id, d.article_id"
)


class UnreadList:
    """Who in ``office``'s subtree (everyone without one) has not read
    ``documents``, sliced by the paginator: each page is one statement;
    the count comes from the report (no query)."""

    def __init__(self, *, documents, office, total):
        self.documents = documents
        self.by_id = {document.pk: document for document in documents}
        self.office = office
        self.total = total

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, window):
        if not isinstance(window, slice) or not self.documents:
            return []
        start, stop = window.start or 0, window.stop
        return self.rows(offset=start, limit=None if stop is None else stop - start)

    def rows(self, *, offset=0, limit=None):
        with_sql, params = _with(self.documents, self.office)
        sql = with_sql + _UNREAD.format(member=_member(), **_names())
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params = [*params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                UnreadRow(
                    user_id=user_id,
                    name=f"{last} {first}".strip() or username,
                    position=position or "",
                    office=office or "",
                    article=self.by_id[article_id],
                    read_version=read_version,
                )
                for user_id, first, last, username, position, office, article_id, read_version in (
                    cursor.fetchall()
                )
            ]
