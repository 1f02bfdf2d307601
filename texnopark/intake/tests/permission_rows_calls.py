"""Permission-table rows for calls and applications."""

ROWS = []


def objects(demo_user) -> dict:
    """Objects the rows' URLs need, created here (not taken from the demo data)."""
    return {}
