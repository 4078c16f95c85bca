"""People of the staff directory, made through the services the app uses."""

import itertools

from people import roles
from people.models import Office, Profile
from people.services import profile_contacts_update
from tests.factories import make_position, make_user

_seq = itertools.count(1)


def make_office(title=None, *, code=None, parent=None, kind=Office.Kind.JOB_CENTRE, **extra):
    n = next(_seq)
    return Office.objects.create(
        title=title or f"Подразделение № {n}",
        code=code or f"office-{n}",
        kind=kind,
        parent=parent,
        **extra,
    )


def make_person(
    first="Анна",
    last="Петрова",
    *,
    username=None,
    office=None,
    position=None,
    phone="",
    expertise=(),
    role=roles.STAFF,
    email="",
    is_active=True,
):
    """A person with a profile; phone and subjects set as they would set them."""
    user = make_user(
        username or f"person{next(_seq)}",
        role=role,
        first_name=first,
        last_name=last,
        email=email,
        is_active=is_active,
    )
    Profile.objects.create(
        user=user, office=office, position=make_position(position) if position else None
    )
    if phone or expertise:
        profile_contacts_update(user=user, phone=phone, expertise=list(expertise))
    return user
