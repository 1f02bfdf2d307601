"""Park staff: reports to review, the overdue list, compliance decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from texnopark.accounts.scopes import scopes_of
from texnopark.core.errors import AppError, NotFound
from texnopark.core.states import allowed
from texnopark.core.views import done, posted, render_form, show_app_error
from texnopark.intake.models import Residency
from texnopark.reports import selectors, services
from texnopark.reports.forms import ComplianceForm, InboxFilter, ReviewForm
from texnopark.reports.models import ComplianceDecision
from texnopark.reports.views.filing import report_context


@login_required
@require_POST
def review(request, pk):
    report = get_object_or_404(selectors.reports_visible_to(request.user).select_related(
        "submitted_by", "reviewed_by"), pk=pk)
    if not request.user.has_perm("reports.review_report", report.residency):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["action"] == "accept"
        try:
            if accept:
                services.report_accept(actor=request.user, report=report)
            else:
                services.report_return(actor=request.user, report=report, note=form.cleaned_data["note"])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("The report is accepted.") if accept else
                             _("The report is returned to the resident with your note."))
            return done(request, reverse("reports:inbox"))
    return render(request, "reports/report.html", report_context(request, report, review_form=form))


@login_required
def inbox(request):
    scopes = scopes_of(request.user)
    if not (scopes.superuser or scopes.admin_regions or scopes.staffed_parks):
        raise Http404
    parks = selectors.parks_run_by(request.user).order_by("name")
    form = InboxFilter(request.GET or None, parks=parks)
    park = form.cleaned_data["park"] if form.is_valid() else None
    page = Paginator(selectors.reports_to_review(request.user, park=park), 50).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.late = services.is_late(report)
    return render(request, "reports/inbox.html", {
        "form": form, "park": park, "page": page, "parks": list(parks),
        "overdue": selectors.overdue(viewer=request.user, park=park),
    })


@login_required
def compliance(request, pk):
    residency = get_object_or_404(selectors.residencies_visible_to(request.user), pk=pk)
    if not request.user.has_perm("reports.view_report", residency):
        raise Http404
    can_decide = request.user.has_perm("reports.decide_compliance", residency)
    if request.method == "POST" and not can_decide:
        raise Http404
    steps = [step for step, target in ComplianceDecision.LEADS_TO.items()
             if allowed(Residency.TRANSITIONS, residency.status, target)]
    form = ComplianceForm(posted(request), steps=steps) if can_decide else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.compliance_decide(actor=request.user, residency=residency, step=data["step"],
                                                  reason=data["reason"], effective_on=data["effective_on"])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("Recorded: %(step)s. The resident's admins are told.") % {
                "step": decision.get_step_display()})
            return done(request, reverse("reports:compliance", args=[residency.pk]))
    states = selectors.due_quarters(residency)
    return render_form(request, "reports/compliance.html", {
        "residency": residency, "form": form,
        "decisions": list(residency.compliance_decisions.select_related("decided_by")),
        "overdue_quarters": [state for state in states if state.overdue],
        "is_staff": request.user.has_perm("reports.review_report", residency),
    })


urlpatterns = [
    path("<int:pk>/review/", review, name="review"),
    path("staff/", inbox, name="inbox"),
    path("residencies/<int:pk>/compliance/", compliance, name="compliance"),
]
