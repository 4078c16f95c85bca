"""Demo client feedback and operational indicators (filled in by issue 5)."""


def seed_feedback():
    """Create missing demo feedback; return counts of what was created."""
    return {}
