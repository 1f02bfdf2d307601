"""Ideas, companies, milestones, products, export deals and the residents registry over /api/v1/."""

from ninja import Router

router = Router(tags=["ventures"])
