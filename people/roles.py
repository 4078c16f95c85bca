"""The portal's roles. Each is a Django group created by a data migration.

Group names are what administrators see in the admin, so they are Russian;
code refers to them only through these constants.
"""

STAFF = "Сотрудник"
EDITOR = "Редактор"
WORKING_GROUP = "Рабочая группа"
MANAGER = "Руководитель"
ADMINISTRATOR = "Администратор"

ALL_ROLES = (STAFF, EDITOR, WORKING_GROUP, MANAGER, ADMINISTRATOR)
ADMIN_ROLES = (EDITOR, ADMINISTRATOR)


def role_names(user):
    """The role names of ``user``, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, *roles):
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(role_names(user) & set(roles))


def can_use_admin(user):
    return has_role(user, *ADMIN_ROLES)


def is_editor(user):
    """Editors (and administrators) may see drafts and unpublished content."""
    return has_role(user, EDITOR, ADMINISTRATOR)


def can_review_ideas(user):
    """The working group records meetings, decisions and merges of ideas."""
    return has_role(user, WORKING_GROUP, ADMINISTRATOR)


def can_view_cx_dashboard(user):
    """Managers, the working group and administrators see the CX index dashboard."""
    return has_role(user, MANAGER, WORKING_GROUP, ADMINISTRATOR)


def can_import_feedback(user):
    """Administrators and managers import client feedback and indicators."""
    return has_role(user, MANAGER, ADMINISTRATOR)


def can_import_kb(user):
    """Administrators bring in a knowledge base kept as folders of files."""
    return has_role(user, ADMINISTRATOR)


def can_view_mandatory_report(user):
    """«Ознакомление с обязательными документами»: managers (their office's
    subtree), the working group, administrators and editors (the region)."""
    return has_role(user, MANAGER, WORKING_GROUP, ADMINISTRATOR, EDITOR)


def can_view_reading_stats(user):
    """«Аналитика чтения»: editors and the working group (the region),
    managers (their office's subtree) and administrators."""
    return has_role(user, EDITOR, WORKING_GROUP, MANAGER, ADMINISTRATOR)
