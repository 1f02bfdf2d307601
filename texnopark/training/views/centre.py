"""Pages of the centre's work: staff and trainers, walk-ins, certificates, consultations, reach."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from texnopark.accounts import services as account_services
from texnopark.accounts.models import User
from texnopark.accounts.scopes import scopes_of
from texnopark.core.errors import AppError, NotFound
from texnopark.core.views import done, posted, render_form, show_app_error
from texnopark.network.models import District
from texnopark.training import exports, selectors, services
from texnopark.training.forms import (
    BookConsultationForm,
    OutcomeForm,
    ReachForm,
    RevokeForm,
    SlotForm,
    WalkInForm,
)
from texnopark.training.models import AgeGroup, Attendance, Certificate, ConsultationSlot, Enrolment, Lesson
from texnopark.training.views.common import (
    SESSION_RELATED,
    call,
    completion_of,
    run_session,
)

# --- Centre staff and trainers ------------------------------------------------------------------


@login_required
def staff(request):
    centres = list(selectors.centres_run_by(request.user).order_by("district__name", "name"))
    sessions = list(selectors.sessions_run_by(request.user).annotate(
        seated=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.SEATED), distinct=True),
        waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING), distinct=True),
        lesson_count=Count("lessons", distinct=True)).order_by("-starts_on", "pk")[:100])
    if not centres and not sessions:
        raise Http404
    today = timezone.localdate()
    return render(request, "training/staff.html", {
        "centres": centres, "coming": [s for s in sessions if s.ends_on >= today],
        "past": [s for s in sessions if s.ends_on < today],
        "can_add": request.user.has_perm("training.add_session"),
    })


@login_required
def roster(request, pk):
    session = run_session(request, pk)
    enrolments = selectors.with_shares(list(selectors.with_line_position(
        Enrolment.objects.filter(session=session).select_related("certificate", "person", "district")
        .order_by("queued_at", "pk"))))
    for e in enrolments:
        e.session = session
        e.completed = completion_of(e)
        e.cert = getattr(e, "certificate", None)
        if e.cert:
            e.cert.link = e.cert.get_absolute_url()
    groups = {status: [e for e in enrolments if e.status == status] for status in Enrolment.Status.values}
    now = timezone.now()
    lessons = list(session.lessons.all())
    return render(request, "training/roster.html", {
        "session": session, "programme": session.programme,
        "coming_lessons": [lesson for lesson in lessons if lesson.ends_at >= now],
        "past_lessons": [lesson for lesson in lessons if lesson.ends_at < now],
        "seated": groups["enrolled"], "offered": groups["offered"], "waiting": groups["waiting"],
        "gone": groups["cancelled"] + groups["offer_expired"],
        "can_manage": request.user.has_perm("training.manage_centre", session),
        "ready": sum(1 for e in enrolments if e.completed and not e.cert),
        "taken": len(groups["enrolled"]) + len(groups["offered"]),
        "now": now,
    })


@login_required
def attendance(request, pk):
    lesson = get_object_or_404(Lesson.objects.filter(session__in=selectors.sessions_run_by(request.user))
                               .select_related(*[f"session__{r}" for r in SESSION_RELATED]), pk=pk)
    session = lesson.session
    if not request.user.has_perm("training.take_attendance", session):
        raise Http404
    if request.method == "POST":
        marks = {}
        for key, value in request.POST.items():
            if key.startswith("mark-") and key[5:].isdigit():
                marks[int(key[5:])] = value
        try:
            saved = services.attendance_mark(actor=request.user, lesson=lesson, marks=marks)
        except NotFound as error:
            raise Http404 from error
        messages.success(request, ngettext("%(n)s mark saved.", "%(n)s marks saved.", saved) % {"n": saved})
        return done(request, reverse("training:attendance", args=[lesson.pk]))
    people = list(Enrolment.objects.filter(session=session, status=Enrolment.Status.ENROLLED)
                  .order_by("full_name", "pk"))
    marks = {a.enrolment_id: a for a in Attendance.objects.filter(lesson=lesson)}
    for e in people:
        a = marks.get(e.pk)
        e.mark = a.mark if a else ""
        e.self_checked_in = bool(a and a.self_checked_in)
    lessons = list(session.lessons.all())
    return render(request, "training/attendance.html", {
        "lesson": lesson, "session": session, "people": people, "lessons": lessons,
        "choices": Attendance.Mark.choices, "marked": len(marks),
    })


def _walk_in_person(data) -> User:
    """A person with an account, or, for someone who gave only a name and phone, a plain account
    that cannot sign in: an enrolment always belongs to a person, and the reach counts them."""
    if data.get("person"):
        return data["person"]
    return account_services.offline_person(full_name=data["full_name"], phone=data["phone"])


@login_required
def walk_in(request, pk):
    session = run_session(request, pk)
    form = WalkInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = _walk_in_person(data)
            enrolment = services.walk_in(actor=request.user, session=session, person=person,
                                         full_name=data["full_name"], phone=data["phone"])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("%(name)s is added to the session.") % {"name": enrolment.full_name})
            back = request.POST.get("lesson")
            if back and back.isdigit() and session.lessons.filter(pk=back).exists():
                return done(request, reverse("training:attendance", args=[back]))
            return done(request, reverse("training:roster", args=[session.pk]))
    return render_form(request, "training/walk_in.html", {
        "session": session, "form": form, "lesson": request.GET.get("lesson", "")})


def _run_enrolment(request, pk, perm="training.take_attendance") -> Enrolment:
    enrolment = get_object_or_404(Enrolment.objects.filter(session__in=selectors.sessions_run_by(request.user))
                                  .select_related(*[f"session__{r}" for r in SESSION_RELATED]), pk=pk)
    if not request.user.has_perm(perm, enrolment.session):
        raise Http404
    return enrolment


@login_required
@require_POST
def project_accept(request, pk):
    enrolment = _run_enrolment(request, pk)
    accepted = request.POST.get("accepted", "1") == "1"
    call(request, lambda: services.project_accept(actor=request.user, enrolment=enrolment, accepted=accepted),
         _("The final project of %(name)s is accepted.") % {"name": enrolment.full_name} if accepted else
         _("The acceptance of the final project of %(name)s is withdrawn.") % {"name": enrolment.full_name})
    return redirect(reverse("training:roster", args=[enrolment.session_id]) + f"#e-{enrolment.pk}")


@login_required
@require_POST
def certificate_issue(request, pk):
    enrolment = _run_enrolment(request, pk)
    call(request, lambda: services.certificate_issue(actor=request.user, enrolment=enrolment),
         _("A certificate is issued to %(name)s.") % {"name": enrolment.full_name},
         failure_prefix=f"{enrolment.full_name}: ")
    return redirect(reverse("training:roster", args=[enrolment.session_id]) + f"#e-{enrolment.pk}")


@login_required
@require_POST
def certificate_issue_all(request, pk):
    session = run_session(request, pk)
    enrolments = selectors.with_shares(list(Enrolment.objects.filter(
        session=session, status=Enrolment.Status.ENROLLED, certificate__isnull=True).order_by("pk")))
    issued, failed = 0, []
    for e in enrolments:
        e.session = session
        if not completion_of(e):
            continue
        try:
            services.certificate_issue(actor=request.user, enrolment=e)
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            failed.append(f"{e.full_name}: {error.message}")
        else:
            issued += 1
    if issued:
        messages.success(request, ngettext("%(n)s certificate issued.", "%(n)s certificates issued.", issued)
                         % {"n": issued})
    else:
        messages.info(request, _("Nobody new has met the completion rule yet."))
    for line in failed:
        messages.error(request, line)
    return redirect("training:roster", session.pk)


@login_required
def certificate_revoke(request, pk):
    certificate = get_object_or_404(
        Certificate.objects.filter(enrolment__session__in=selectors.sessions_run_by(request.user))
        .select_related(*[f"enrolment__session__{r}" for r in SESSION_RELATED]), pk=pk)
    session = certificate.enrolment.session
    if not request.user.has_perm("training.manage_centre", session):
        raise Http404
    form = RevokeForm(posted(request))
    if request.method == "POST" and form.is_valid() and not certificate.revoked_at:
        try:
            services.certificate_revoke(actor=request.user, certificate=certificate,
                                        reason=form.cleaned_data["reason"])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("The certificate is revoked. Its verification page now says so."))
            return done(request, reverse("training:roster", args=[session.pk]) + f"#e-{certificate.enrolment_id}")
    return render_form(request, "training/revoke.html", {
        "certificate": certificate, "session": session, "form": form, "link": certificate.get_absolute_url()})


# --- Consultations ------------------------------------------------------------------------------


def consultations(request):
    districts = District.objects.filter(is_active=True, business_centres__is_published=True).distinct()
    district = None
    if request.GET.get("district", "").isdigit():
        district = districts.filter(pk=request.GET["district"]).first()
    slots = selectors.open_consultations().filter(centre__is_published=True).order_by("starts_at")
    if district:
        slots = slots.filter(centre__district=district)
    page = Paginator(slots, 30).get_page(request.GET.get("page"))
    return render(request, "training/consultations.html", {
        "page": page, "districts": districts.order_by("name"), "district": district,
        "can_run": request.user.is_authenticated and selectors.centres_run_by(request.user).exists(),
    })


@login_required
def consultation_book(request, pk):
    slot = get_object_or_404(ConsultationSlot.objects.filter(centre__is_published=True)
                             .select_related("centre", "centre__district", "booked_by"), pk=pk)
    form = BookConsultationForm(posted(request))
    context = {"slot": slot, "form": form, "taken": slot.booked_by_id is not None and
               slot.booked_by_id != request.user.pk, "mine": slot.booked_by_id == request.user.pk,
               "past": slot.starts_at <= timezone.now()}
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_book(actor=request.user, slot=slot, question=form.cleaned_data["question"])
        except AppError as error:
            show_app_error(request, form, error)
            context["taken"] = error.code == "slot_taken"
        else:
            messages.success(request, _("Booked. A confirmation is on its way to your e-mail."))
            return done(request, reverse("training:mine") + "#consultations")
    return render_form(request, "training/consultation_book.html", context,
                       status=409 if context["taken"] and request.method == "POST" else 200)


@login_required
@require_POST
def consultation_cancel(request, pk):
    slot = get_object_or_404(ConsultationSlot.objects.select_related("centre__district"), pk=pk)
    own = slot.booked_by_id == request.user.pk
    if not own and not request.user.has_perm("training.change_consultationslot", slot):
        raise Http404
    call(request, lambda: services.consultation_cancel(actor=request.user, slot=slot),
         _("The consultation is cancelled; the time is free for others."))
    return redirect(reverse("training:mine") + "#consultations" if own else reverse("training:consultations_staff"))


@login_required
def consultations_staff(request):
    centres = selectors.centres_run_by(request.user)
    if not centres.exists():
        raise Http404
    since = timezone.now() - timedelta(days=60)
    slots = list(ConsultationSlot.objects.filter(centre__in=centres, starts_at__gte=since)
                 .select_related("centre", "centre__district", "booked_by", "adviser").order_by("starts_at")[:300])
    now = timezone.now()
    return render(request, "training/consultations_staff.html", {
        "coming": [s for s in slots if s.ends_at >= now], "past": [s for s in reversed(slots) if s.ends_at < now],
    })


@login_required
def consultation_new(request):
    centres = selectors.centres_run_by(request.user).order_by("district__name", "name")
    if not centres.exists():
        raise Http404
    form = SlotForm(posted(request), centres=centres)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consultation_slot_create(actor=request.user, centre=data["centre"], starts_at=data["starts"],
                                              ends_at=data["ends"], topic=data["topic"])
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("The consultation time is published."))
            return done(request, reverse("training:consultations_staff"))
    return render_form(request, "training/consultation_new.html", context)


@login_required
def consultation_outcome(request, pk):
    slot = get_object_or_404(ConsultationSlot.objects.filter(centre__in=selectors.centres_run_by(request.user))
                             .select_related("centre", "centre__district", "booked_by"), pk=pk)
    form = OutcomeForm(posted(request), initial={"outcome": slot.outcome, "notes": slot.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_record(actor=request.user, slot=slot, **form.cleaned_data)
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("The outcome is recorded."))
            return done(request, reverse("training:consultations_staff"))
    return render_form(request, "training/consultation_outcome.html", {"slot": slot, "form": form})


# --- Reach ---------------------------------------------------------------------------------------


def _reach(request):
    """The districts the viewer may see the reach of, and the figures for the chosen period."""
    scopes = scopes_of(request.user)
    districts = District.objects.filter(is_active=True).select_related("region").order_by("region__name", "name")
    if not scopes.superuser:
        if scopes.admin_regions:
            districts = districts.filter(Q(region__in=scopes.admin_regions) | Q(pk__in=scopes.centre_districts))
        elif scopes.centre_districts:
            districts = districts.filter(pk__in=scopes.centre_districts)
        else:
            raise Http404
    districts = list(districts)
    form = ReachForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    regions = {d.region_id for d in districts}
    figures = selectors.reach_by_district(region=districts[0].region if len(regions) == 1 and districts else None,
                                          first=period.get("first"), last=period.get("last"))
    rows = [{"district": d, "reach": figures.get(d.pk, selectors.Reach())} for d in districts]
    total = selectors.Reach(population_thousands=sum((d.population_thousands or 0) for d in districts) or None)
    for row in rows:
        r = row["reach"]
        total.trained += r.trained
        total.completed += r.completed
        total.certificates += r.certificates
        total.businesses += r.businesses
        total.referrals += r.referrals
        for key, n in r.by_gender.items():
            total.by_gender[key] = total.by_gender.get(key, 0) + n
        for key, n in r.by_age.items():
            total.by_age[key] = total.by_age.get(key, 0) + n
    return form, period, rows, total


@login_required
def reach(request):
    form, period, rows, total = _reach(request)
    query = urlencode({k: v.isoformat() for k, v in period.items() if v})
    return render(request, "training/reach.html", {
        "form": form, "rows": rows, "total": total, "export": reverse("training:reach_xlsx") + (f"?{query}" if query
                                                                                             else ""),
        "age_labels": [exports.label(a, AgeGroup.choices) for a in exports.AGES],
        "age_rows": [{"district": row["district"], "counts": [row["reach"].by_age.get(a, 0) for a in exports.AGES]}
                     for row in rows],
    })


@login_required
def reach_xlsx(request):
    _form, period, rows, total = _reach(request)
    body = exports.reach_workbook(rows=rows, total=total, first=period.get("first"), last=period.get("last"))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="training-reach-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
