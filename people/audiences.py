"""Who is in an audience: the one rule, in the three shapes it is needed in.

A person is in an audience when they match every dimension that is not
empty (and an audience with nothing chosen is everyone):

- offices: their profile's office is one of the chosen offices or lies under
  one of them (the offices are OR-ed);
- positions: their position is one of the chosen positions (OR-ed);
- roles: they have one of the chosen roles (OR-ed).

Only active accounts are counted. The rule is written three times, for the
three questions asked of it, and tests/people/test_audiences.py holds the
three to the same answers:

- ``members``: the people of one audience (a User queryset) — to count an
  audience in the admin and to notify it;
- ``member_sql``: whether one person is in one audience, as an SQL condition
  — for the pages a person reads, inside the statement they run anyway;
- ``pairs_member_sql``: which (document, person) pairs match, over many
  documents and everyone at once — for the report, as set lookups the
  database hashes instead of a subquery per pair.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from people import roles
from people.models import (
    Audience,
    AudienceOffice,
    AudiencePosition,
    AudienceRole,
    Office,
    Position,
    Profile,
)


@dataclass(frozen=True)
class AudienceSpec:
    """What an audience names, as ids (nothing named: everyone)."""

    office_ids: tuple = ()
    position_ids: tuple = ()
    role_ids: tuple = ()

    @property
    def everyone(self):
        return not (self.office_ids or self.position_ids or self.role_ids)

    @classmethod
    def of(cls, *, offices=(), positions=(), roles=()):
        def ids(items):
            return tuple(sorted({getattr(item, "pk", item) for item in items}))

        return cls(office_ids=ids(offices), position_ids=ids(positions), role_ids=ids(roles))


def audience_spec(audience):
    """The spec of a stored ``Audience`` (None: everyone). Three small queries."""
    if audience is None:
        return AudienceSpec()
    return AudienceSpec.of(
        offices=AudienceOffice.objects.filter(audience=audience).values_list(
            "office_id", flat=True
        ),
        positions=AudiencePosition.objects.filter(audience=audience).values_list(
            "position_id", flat=True
        ),
        roles=AudienceRole.objects.filter(audience=audience).values_list("role_id", flat=True),
    )


def role_choices():
    """The roles an audience may name. «Сотрудник» is every logged-in person
    (DESIGN.md), so it is not a choice: leave the roles empty for everyone."""
    return Group.objects.filter(name__in=[r for r in roles.ALL_ROLES if r != roles.STAFF])


def members(spec):
    """The active people in the audience ``spec`` (one query to read the
    chosen offices' places in the tree, when there are offices)."""
    users = get_user_model().objects.filter(is_active=True)
    if spec.office_ids:
        in_offices = Q(pk__in=[])
        for office in Office.objects.filter(pk__in=spec.office_ids).only("tree_id", "lft", "rght"):
            in_offices |= Q(
                profile__office__tree_id=office.tree_id,
                profile__office__lft__gte=office.lft,
                profile__office__lft__lte=office.rght,
            )
        users = users.filter(in_offices)
    if spec.position_ids:
        users = users.filter(profile__position_id__in=spec.position_ids)
    if spec.role_ids:
        memberships = get_user_model().groups.through.objects.filter(
            user_id=OuterRef("pk"), group_id__in=spec.role_ids
        )
        users = users.filter(Exists(memberships))
    return users


def _names():
    quote = connection.ops.quote_name
    user_model = get_user_model()
    groups = user_model.groups.through
    return {
        "ao": quote(AudienceOffice._meta.db_table),
        "ap": quote(AudiencePosition._meta.db_table),
        "ar": quote(AudienceRole._meta.db_table),
        "office": quote(Office._meta.db_table),
        "profile": quote(Profile._meta.db_table),
        "ug": quote(groups._meta.db_table),
        "ug_user": quote(groups._meta.get_field("user").column),
        "ug_group": quote(groups._meta.get_field("group").column),
    }


def member_sql(*, audience, user):
    """An SQL condition: the person ``user`` is in the audience ``audience``.

    Both are SQL expressions (a column, or ``%s``); the condition uses each
    several times, so the second value says in which order parameters are
    expected: a list of "audience" / "user". A NULL audience is everyone.
    """
    n = _names()
    # Only the models' own table names and the caller's expressions (columns
    # or placeholders, never values) go into the text.
    sql = (
        f"((NOT EXISTS (SELECT 1 FROM {n['ao']} WHERE audience_id = {{a}})"  # noqa: S608
        f" OR EXISTS (SELECT 1 FROM {n['ao']} ao"
        f" JOIN {n['office']} t ON t.id = ao.office_id"
        f" JOIN {n['profile']} p ON p.user_id = {{u}}"
        f" JOIN {n['office']} m ON m.id = p.office_id"
        " WHERE ao.audience_id = {a} AND m.tree_id = t.tree_id"
        " AND m.lft >= t.lft AND m.lft <= t.rght))"
        f" AND (NOT EXISTS (SELECT 1 FROM {n['ap']} WHERE audience_id = {{a}})"
        f" OR EXISTS (SELECT 1 FROM {n['ap']} ap JOIN {n['profile']} p"
        " ON p.position_id = ap.position_id WHERE ap.audience_id = {a} AND p.user_id = {u}))"
        f" AND (NOT EXISTS (SELECT 1 FROM {n['ar']} WHERE audience_id = {{a}})"
        f" OR EXISTS (SELECT 1 FROM {n['ar']} ar JOIN {n['ug']} ug"
        f" ON ug.{n['ug_group']} = ar.role_id"
        f" WHERE ar.audience_id = {{a}} AND ug.{n['ug_user']} = {{u}})))"
    )
    order = []
    for piece in sql.split("{")[1:]:
        order.append("audience" if piece.startswith("a}") else "user")
    return sql.format(a=audience, u=user), order


def pairs_member_sql(*, audience, user, office, position, audiences):
    """An SQL condition over a join of documents and people: the person
    (``user`` id, ``office`` id and ``position`` id columns of their
    profile) is in the document's ``audience`` (a column; NULL: everyone).
    ``user`` None: the audiences are known to name no roles (the roles
    check is left out, so people can be counted by office and position).

    ``audiences`` is an SQL expression listing the audience ids concerned
    (a subquery); the lookups are limited to them. Uncorrelated on purpose:
    the database builds each set once and probes it per pair.
    """
    n = _names()
    # As in member_sql: table names and the caller's expressions only.
    only = f"audience_id IN ({audiences})"
    offices = (
        f"SELECT ao.audience_id, o.id FROM {n['ao']} ao"  # noqa: S608
        f" JOIN {n['office']} t ON t.id = ao.office_id"
        f" JOIN {n['office']} o ON o.tree_id = t.tree_id AND o.lft >= t.lft AND o.lft <= t.rght"
        f" WHERE ao.{only}"
    )
    positions = f"SELECT audience_id, position_id FROM {n['ap']} WHERE {only}"  # noqa: S608
    with_roles = (
        f"SELECT ar.audience_id, ug.{n['ug_user']} FROM {n['ar']} ar"  # noqa: S608
        f" JOIN {n['ug']} ug ON ug.{n['ug_group']} = ar.role_id WHERE ar.{only}"
    )
    by_roles = (
        ""
        if user is None
        else (
            f" AND ({audience} NOT IN (SELECT audience_id FROM {n['ar']} WHERE {only})"  # noqa: S608
            f" OR ({audience}, {user}) IN ({with_roles}))"
        )
    )
    return (
        f"({audience} IS NULL OR ("  # noqa: S608
        f"({audience} NOT IN (SELECT audience_id FROM {n['ao']} WHERE {only})"
        f" OR ({audience}, {office}) IN ({offices}))"
        f" AND ({audience} NOT IN (SELECT audience_id FROM {n['ap']} WHERE {only})"
        f" OR ({audience}, {position}) IN ({positions})){by_roles}))"
    )


def audience_save(*, audience, spec):
    """Store ``spec`` in ``audience`` (None: a new one is made; returns it).

    One history entry records what the audience names after the change
    (the m2m rows are set without the per-change entries simple-history
    would add, then the audience is saved once)."""
    if audience is None:
        audience = Audience()
    audience.skip_history_when_saving = True
    audience.save()
    audience.offices.set(spec.office_ids)
    audience.positions.set(spec.position_ids)
    audience.roles.set(spec.role_ids)
    del audience.skip_history_when_saving
    audience.save()
    return audience


def spec_description(spec):
    """The audience in words, for the admin and the pages: «все сотрудники»
    or the chosen offices, positions and roles (two small queries at most)."""
    from django.utils.translation import gettext as _

    if spec.everyone:
        return _("все сотрудники")
    parts = []
    if spec.office_ids:
        titles = Office.objects.filter(pk__in=spec.office_ids).order_by("tree_id", "lft")
        parts.append(
            _("подразделения (с подчинёнными): %(list)s")
            % {"list": ", ".join(titles.values_list("title", flat=True))}
        )
    if spec.position_ids:
        titles = Position.objects.filter(pk__in=spec.position_ids).values_list("title", flat=True)
        parts.append(_("должности: %(list)s") % {"list": ", ".join(titles)})
    if spec.role_ids:
        names = Group.objects.filter(pk__in=spec.role_ids).order_by("name")
        parts.append(
            _("роли: %(list)s") % {"list": ", ".join(names.values_list("name", flat=True))}
        )
    return "; ".join(parts)
