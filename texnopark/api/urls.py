from ninja import NinjaAPI

from texnopark.accounts.api import router as accounts_router
from texnopark.api import errors
from texnopark.bookings.api import router as bookings_router
from texnopark.intake.api.calls import router as calls_router
from texnopark.intake.api.review import router as review_router
from texnopark.network.api import router as network_router
from texnopark.reports.api import router as reports_router
from texnopark.training.api import router as training_router
from texnopark.training.verify import router as certificates_router
from texnopark.ventures.api import router as ventures_router

api = NinjaAPI(
    title="Texnopark API",
    version="1",
    description=(
        "The technopark network: regions, districts, parks, facilities, business centres, universities; "
        "bookable resources, their availability, bookings, series, approvals, check-ins, trainings and "
        "utilisation; the district business centres' training: programmes, sessions, enrolment with a waiting "
        "line, attendance, certificates, consultations and reach; ideas, calls, applications, blind expert review, "
        "the commission, residents, milestones, export deals, quarterly reports and compliance. "
        "Authenticate with `Authorization: Bearer <token>` (create one on your profile page) or the browser "
        "session (send the CSRF token on writes). Errors are always `{code, message, fields}`."
    ),
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", network_router)
api.add_router("/", accounts_router)
api.add_router("/", bookings_router)
api.add_router("/", training_router)
api.add_router("/", certificates_router)
api.add_router("/", ventures_router)
api.add_router("/", calls_router)
api.add_router("/", review_router)
api.add_router("/", reports_router)
