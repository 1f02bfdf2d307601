from ninja import NinjaAPI

from texnopark.accounts.api import router as accounts_router
from texnopark.api import errors
from texnopark.network.api import router as network_router

api = NinjaAPI(
    title="Texnopark API",
    version="1",
    description=(
        "The technopark network: regions, districts, parks, facilities, business centres, universities. "
        "Authenticate with `Authorization: Bearer <token>` (create one on your profile page) or the browser "
        "session (send the CSRF token on writes). Errors are always `{code, message, fields}`."
    ),
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", network_router)
api.add_router("/", accounts_router)
