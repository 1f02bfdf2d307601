"""Expert review and the commission over /api/v1/."""

from ninja import Router

router = Router(tags=["review"])
