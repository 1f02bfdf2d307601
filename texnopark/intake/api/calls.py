"""Calls and applications over /api/v1/."""

from ninja import Router

router = Router(tags=["calls"])
