"""Who may do what with questions and error reports (no queries: the
roles are cached on the user, ownership is a column of the article)."""

from people.roles import is_editor


def is_owner(user, article):
    return user.is_authenticated and article.owner_id is not None and article.owner_id == user.pk


def can_moderate(user, article):
    """The article's owner and editors: «лучший ответ»."""
    return is_editor(user) or is_owner(user, article)


def can_resolve(user, question):
    """Mark resolved or reopen: the asker, the article's owner, editors."""
    return question.author_id == user.pk or can_moderate(user, question.article)


def can_close_report(user, report):
    return can_moderate(user, report.article)


def can_see_report(user, report):
    """An error report goes to the owner and editors only, and back to its author."""
    return report.author_id == user.pk or can_close_report(user, report)
