"""Permission-table rows for ideas, companies and the residents registry."""

ROWS = []


def objects(demo_user) -> dict:
    """Objects the rows' URLs need, created here (not taken from the demo data)."""
    return {}
