"""Office scope: which offices' cases and figures a person sees. The one
definition, used by the cases (`/cases/`) and the CX dashboard.

- The working group, administrators and superusers: everything.
- A Руководитель: the office of their profile (``Profile.office``) and every
  office under it. A head of one ЦЗН sees that ЦЗН; a regional manager,
  attached to the region's root office, sees the whole region.
- A Руководитель without an office: nothing (the pages say why).
- Anyone else is refused (PermissionDenied).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q

from people import roles
from people.models import Office, Profile


@dataclass(frozen=True)
class Scope:
    """``everything`` for the whole region; else the subtree of ``office``;
    ``office`` None without ``everything``: no office at all."""

    everything: bool = False
    office: Office | None = None

    @property
    def no_office(self):
        return not self.everything and self.office is None

    @property
    def key(self):
        """A short text that differs for every different scope: for cache keys."""
        if self.everything:
            return "all"
        return f"office:{self.office.pk}" if self.office is not None else "none"

    def office_filter(self, prefix="office__"):
        """A Q on a model's office (``prefix`` is the path to its tree fields)."""
        if self.everything:
            return Q()
        if self.office is None:
            return Q(pk__in=[])
        office = self.office
        return Q(
            **{
                f"{prefix}tree_id": office.tree_id,
                f"{prefix}lft__gte": office.lft,
                f"{prefix}rght__lte": office.rght,
            }
        )

    def contains(self, office):
        """Whether ``office`` (with its tree fields loaded) is in the scope."""
        if self.everything:
            return True
        mine = self.office
        return (
            mine is not None
            and office.tree_id == mine.tree_id
            and mine.lft <= office.lft
            and office.rght <= mine.rght
        )

    def is_whole(self, offices):
        """Whether the scope holds every one of ``offices``: always with
        ``everything``, and for a manager attached to the root of the only
        tree (the regional manager sees what the working group sees)."""
        return self.everything or (
            self.office is not None and all(self.contains(office) for office in offices)
        )


def can_have_scope(user):
    return roles.has_role(user, roles.MANAGER, roles.WORKING_GROUP, roles.ADMINISTRATOR)


def sees_everything(user):
    return roles.has_role(user, roles.WORKING_GROUP, roles.ADMINISTRATOR)


def offices_marked(*, user, offices):
    """``offices`` (a queryset) with ``is_mine`` on each: whether it is the
    office of ``user``'s profile. Lets ``office_scope`` take the person's
    office from a list of offices read anyway, without a query of its own."""
    if sees_everything(user):
        return offices
    return offices.annotate(
        is_mine=Exists(Profile.objects.filter(user_id=user.pk, office_id=OuterRef("pk")))
    )


def office_scope(*, user, offices=None):
    """The Scope of ``user``, or PermissionDenied for those without one.

    ``offices``: every office, read through ``offices_marked`` — the person's
    office is then found among them (no query); without it, one query for a
    manager, none for the others.
    """
    if not can_have_scope(user):
        raise PermissionDenied
    if sees_everything(user):
        return Scope(everything=True)
    if offices is None:
        office = Office.objects.filter(staff__user=user).first()
    else:
        office = next((o for o in offices if o.is_mine), None)
    return Scope(office=office)


def scope_offices(*, scope):
    """The offices of ``scope`` in tree order (one query; none without an office)."""
    if scope.no_office:
        return []
    offices = Office.objects.filter(scope.office_filter(prefix=""))
    return list(offices.only("id", "title", "level", "tree_id", "lft").order_by("tree_id", "lft"))
