"""Quarterly reports, audit documents, compliance and the park view over /api/v1/."""

from ninja import Router

router = Router(tags=["reports"])
