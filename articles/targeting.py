"""Reads of targeting («Для вас»): which published materials are meant for a
person's position and office.

The rule, in one place: an article is for a person when the person is in
the article's own ``target_audience`` or in the ``target_audience`` of its
section or of any section above it (an article in a targeted section is for
that audience). Membership is ``people.audiences``' one rule (office
subtrees, positions, roles), computed in SQL by ``member_sql``. A material
with no audience anywhere on its path is for nobody in particular: it is not
«для вас», though — targeting is discovery, not access — everyone can open
every material as before.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from articles.models import Article, Section
from articles.selectors import with_sections
from people.audiences import member_sql
from people.models import Profile


def _member(column):
    """``member_sql`` for one person (a parameter) and the audience ``column``."""
    sql, order = member_sql(audience=column, user="%s")
    return sql, sum(1 for name in order if name == "user")


def _for_you_filter(user):
    """A filter on Article: targeted at ``user`` by itself or by a section on
    its path. Two uncorrelated subqueries — the sections whose audience holds
    the person, with everything under them, and the articles' own audiences
    that hold the person — so the database decides membership once per
    audience, not once per article."""
    quote = connection.ops.quote_name
    sections = quote(Section._meta.db_table)
    articles = quote(Article._meta.db_table)
    # Aliases member_sql does not use itself (it has t, m, p, ao, ap, ar, ug).
    in_section, n_section = _member("fy_top.target_audience_id")
    in_article, n_article = _member("fy_art.target_audience_id")
    # Only the models' table names and member_sql's text; the person is a parameter.
    section_ids = (
        f"SELECT fy_sub.id FROM {sections} fy_top JOIN {sections} fy_sub"  # noqa: S608
        " ON fy_sub.tree_id = fy_top.tree_id"
        " AND fy_sub.lft >= fy_top.lft AND fy_sub.lft <= fy_top.rght"
        " WHERE fy_top.target_audience_id IS NOT NULL AND fy_top.deleted_at IS NULL"
        f" AND {in_section}"
    )
    audience_ids = (
        f"SELECT fy_art.target_audience_id FROM {articles} fy_art"  # noqa: S608
        f" WHERE fy_art.target_audience_id IS NOT NULL AND {in_article}"
    )
    # One list of ids from the two index lookups (a UNION): an OR of the two
    # IN conditions made SQLite scan every article row and sort them all
    # (65 ms at 10,000 articles against 3 ms for the two parts).
    ids = (
        f"SELECT fy_in.id FROM {articles} fy_in WHERE fy_in.section_id IN ({section_ids})"  # noqa: S608
        f" UNION SELECT fy_own.id FROM {articles} fy_own"
        f" WHERE fy_own.target_audience_id IN ({audience_ids})"
    )
    return Q(pk__in=RawSQL(ids, [user.pk] * (n_section + n_article)))  # noqa: S611


def for_you(user):
    """The published materials targeted at ``user``, newest first (a queryset)."""
    return (
        Article.objects.published().filter(_for_you_filter(user)).order_by("-published_at", "-id")
    )


@dataclass
class ForYou:
    articles: list
    more: bool  # there are more than ``articles`` («показать все»)


def for_you_home(user, tree, limit=5):
    """The few newest materials for ``user`` for the home page, and whether
    there are more (one query)."""
    if not user.is_authenticated:
        return ForYou(articles=[], more=False)
    cards = list(for_you(user).for_cards()[: limit + 1])
    return ForYou(articles=with_sections(cards[:limit], tree), more=len(cards) > limit)


def has_position(user):
    """Whether the person's profile names a position (one query)."""
    return Profile.objects.filter(user=user, position__isnull=False).exists()
