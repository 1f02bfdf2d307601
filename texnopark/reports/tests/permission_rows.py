"""Permission-table rows for quarterly reports, compliance and the park view."""

ROWS = []


def objects(demo_user) -> dict:
    """Objects the rows' URLs need, created here (not taken from the demo data)."""
    return {}
