"""Reads of the staff directory (/people/): who works where and whom to ask.

Only active accounts are shown. A search query is split into folded words
(people.folding); every word must match the beginning of a word of the
person's name, position, office (title or town; an office brings the
offices under it), or of one of their subjects. Names and subjects are
matched in SQL against their stored folded columns, positions and offices —
short reference lists read for the page's filters anyway — in Python.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from people import roles
from people.folding import expertise_key, matches
from people.models import Expertise, Office, Position, Profile

POPULAR_EXPERTISE = 30
# A person's subjects, alphabetically.
EXPERTISE_PREFETCH = Prefetch("expertise", queryset=Expertise.objects.order_by("key"))


def offices_active():
    """The active offices in tree order (one query)."""
    return list(
        Office.objects.filter(is_active=True)
        .order_by("tree_id", "lft")
        .only("id", "code", "title", "kind", "city", "parent_id", "level", "tree_id", "lft", "rght")
    )


def positions_all():
    return list(Position.objects.only("id", "title"))


def people_active():
    """Profiles of active accounts, with what a directory entry shows but
    their subjects (EXPERTISE_PREFETCH)."""
    return Profile.objects.filter(user__is_active=True).select_related("user", "position", "office")


def subtree_ids(chosen, offices):
    """The ids of ``chosen`` offices and of every office under them, among ``offices``."""
    ranges = [(office.tree_id, office.lft, office.rght) for office in chosen]
    return [
        office.pk
        for office in offices
        if any(
            office.tree_id == tree and lft <= office.lft and office.rght <= rght
            for tree, lft, rght in ranges
        )
    ]


def _word_condition(word, *, offices, positions):
    condition = Q(search_name__contains=" " + word)
    position_ids = [position.pk for position in positions if matches(position.title, word)]
    if position_ids:
        condition |= Q(position_id__in=position_ids)
    office_ids = subtree_ids(
        [office for office in offices if matches(office.title, word) or matches(office.city, word)],
        offices,
    )
    if office_ids:
        condition |= Q(office_id__in=office_ids)
    subjects = Profile.expertise.through.objects.filter(profile_id=OuterRef("pk")).filter(
        Q(expertise__key__startswith=word) | Q(expertise__key__contains=" " + word)
    )
    return condition | Exists(subjects)


def directory_people(*, words, office, position, expertise, offices, positions):
    """The people of the directory who match, alphabetically (a queryset to page).

    ``office``: an Office (with its tree fields) — its staff and the staff of
    the offices under it; ``position``: a position id; ``expertise``: an
    Expertise; ``words``: the folded words of the query; ``offices`` and
    ``positions``: the active offices and every position, as read for the page."""
    people = people_active()
    if office is not None:
        people = people.filter(
            office__tree_id=office.tree_id,
            office__lft__gte=office.lft,
            office__rght__lte=office.rght,
        )
    if position is not None:
        people = people.filter(position_id=position)
    if expertise is not None:
        people = people.filter(expertise=expertise)
    for word in words:
        people = people.filter(_word_condition(word, offices=offices, positions=positions))
    return people.prefetch_related(EXPERTISE_PREFETCH).order_by("search_name", "pk")


def expertise_find(text):
    """The Expertise written as ``text`` in any letter case, or None."""
    key = expertise_key(text or "")
    return Expertise.objects.filter(key=key).first() if key else None


def expertise_popular(limit=POPULAR_EXPERTISE):
    """The subjects most people can be asked about, with ``n`` (active people)."""
    return list(
        Expertise.objects.filter(profiles__user__is_active=True)
        .annotate(n=Count("profiles"))
        .order_by("-n", "key")[:limit]
    )


def staff_counts():
    """{office id: how many active people it has, offices under it not counted}."""
    rows = (
        Profile.objects.filter(user__is_active=True, office__isnull=False)
        .values("office_id")
        .annotate(n=Count("pk"))
        .values_list("office_id", "n")
    )
    return dict(rows)


def office_tree(offices, counts):
    """``offices`` (tree order) as roots with ``nodes`` (children), each with
    ``staff_count`` (its own people) and ``staff_total`` (with the offices under it).
    An office under an inactive one is shown at the top."""
    by_id = {office.pk: office for office in offices}
    roots = []
    for office in offices:
        office.nodes = []
        office.staff_count = office.staff_total = counts.get(office.pk, 0)
        parent = by_id.get(office.parent_id)
        (parent.nodes if parent is not None else roots).append(office)
    for office in reversed(offices):  # children before their parents
        parent = by_id.get(office.parent_id)
        if parent is not None:
            parent.staff_total += office.staff_total
    return roots


def office_children(office):
    """The active offices right under ``office``, each with ``staff_count`` (its own people)."""
    return list(
        office.get_children()
        .filter(is_active=True)
        .annotate(staff_count=Count("staff", filter=Q(staff__user__is_active=True)))
        .order_by("title")
    )


def office_heads(office):
    """The head of ``office``: the active Руководитель attached to it (the
    rule of the cases and the monthly report, cases.services.office_heads).
    Their subjects are not prefetched here: the page fetches them together
    with the staff's."""
    return list(
        Profile.objects.filter(
            office=office, user__is_active=True, user__groups__name=roles.MANAGER
        )
        .select_related("user", "position", "office")
        .order_by("search_name", "pk")
        .distinct()
    )


def office_staff(office):
    """The active people of ``office`` itself, alphabetically (a queryset to
    page; their subjects are for the page to prefetch)."""
    return people_active().filter(office=office).order_by("search_name", "pk")
