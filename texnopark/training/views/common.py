"""Helpers shared by the training pages: the completion rule, the sessions a person runs, button actions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404

from texnopark.core.errors import AppError, NotFound
from texnopark.training import selectors, services
from texnopark.training.models import Enrolment, Session

# Session columns every list needs, so no row fetches its programme, centre or district.
SESSION_RELATED = ("programme", "programme__centre", "programme__centre__district")


# --- Helpers --------------------------------------------------------------------------------


def completion_of(enrolment: Enrolment) -> bool:
    """The programme's rule (`services.completion_problem`), from the share `selectors.with_shares` computed."""
    return services.completion_problem(enrolment, share=enrolment.share) is None


def run_session(request, pk, perm: str = "training.take_attendance") -> Session:
    session = get_object_or_404(selectors.sessions_run_by(request.user), pk=pk)
    if not request.user.has_perm(perm, session):
        raise Http404
    return session


def call(request, action, success: str, failure_prefix: str = "") -> bool:
    """Run one service for a button without a form: a message either way; outside the scope, 404."""
    try:
        action()
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        messages.error(request, f"{failure_prefix}{error.message}")
        return False
    messages.success(request, success)
    return True


