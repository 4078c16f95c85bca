from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # The source strings are Russian: a "fuzzy" guess copies the Russian of a
    # different phrase, which is worse than no entry (gettext then shows the
    # source string itself).
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
