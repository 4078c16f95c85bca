"""Demo ideas, votes, comments and past meetings (filled in by issue 4)."""


def seed_ideas(users):
    """Create missing demo ideas; return counts of what was created.

    ``users`` maps demo usernames to users.
    """
    return {}
