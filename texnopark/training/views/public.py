"""Pages for learners: the catalogue, enrolment, my learning, self check-in and the code in the room."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from texnopark.core.errors import AppError, NotFound
from texnopark.core.views import done, posted, render_form, show_app_error
from texnopark.network.models import District
from texnopark.training import selectors, services
from texnopark.training.forms import (
    BusinessForm,
    CatalogueFilter,
    CheckInForm,
    EnrolForm,
)
from texnopark.training.models import ConsultationSlot, Enrolment, Lesson, Session
from texnopark.training.views.common import (
    SESSION_RELATED,
    call,
    completion_of,
)

# --- Catalogue ------------------------------------------------------------------------------


def catalogue(request):
    districts = District.objects.filter(is_active=True, business_centres__is_published=True).distinct()
    form = CatalogueFilter(request.GET or None, districts=districts.order_by("name"),
                           languages=settings.LANGUAGES)
    filters = form.cleaned_data if form.is_valid() else {}
    sessions = selectors.session_catalogue(
        district=filters.get("district"), topic=filters.get("topic", ""), language=filters.get("language", ""),
        starts_from=filters.get("starts_from"))
    page = Paginator(sessions, 20).get_page(request.GET.get("page"))
    for session in page.object_list:
        session.seats_left = max(session.capacity - session.seated, 0)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {"form": form, "page": page, "query": urlencode(query), "filtered": bool(query),
               "can_run": selectors.centres_run_by(request.user).exists() if request.user.is_authenticated else False}
    if request.htmx and not request.htmx.boosted:
        return render(request, "training/catalogue.html#results", context)
    return render(request, "training/catalogue.html", context)


def programme_detail(request, pk):
    programme = get_object_or_404(selectors.programmes_public(), pk=pk)
    sessions = list(selectors.session_catalogue().filter(programme=programme))
    for session in sessions:
        session.seats_left = max(session.capacity - session.seated, 0)
    return render(request, "training/programme.html", {"programme": programme, "sessions": sessions})


def session_detail(request, pk):
    session = get_object_or_404(
        Session.objects.filter(programme__is_published=True).select_related(*SESSION_RELATED, "trainer")
        .annotate(seated=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.SEATED)),
                  waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING))), pk=pk)
    session.seats_left = max(session.capacity - session.seated, 0)
    mine = None
    if request.user.is_authenticated:
        mine = selectors.with_line_position(Enrolment.objects.filter(
            session=session, person=request.user, status__in=Enrolment.ACTIVE)).first()
    return render(request, "training/session.html", {
        "session": session, "programme": session.programme, "lessons": list(session.lessons.all()),
        "mine": mine, "over": session.ends_on < timezone.localdate(),
        "can_run": request.user.is_authenticated and request.user.has_perm("training.take_attendance", session),
    })


# --- Enrolment and my learning ----------------------------------------------------------------


@login_required
def enrol(request, pk):
    session = get_object_or_404(selectors.session_catalogue(), pk=pk)
    session.seats_left = max(session.capacity - session.seated, 0)
    existing = Enrolment.objects.filter(session=session, person=request.user, status__in=Enrolment.ACTIVE).first()
    if existing:
        messages.info(request, _("You are already enrolled in this session or on its waiting list."))
        return redirect(reverse("training:mine") + f"#enrolment-{existing.pk}")
    last = Enrolment.objects.filter(person=request.user).order_by("-queued_at").first()
    initial = {"full_name": request.user.full_name, "phone": request.user.phone,
               "district": session.programme.centre.district_id}
    if last:
        initial.update(full_name=initial["full_name"] or last.full_name, phone=initial["phone"] or last.phone,
                       district=last.district_id or initial["district"], age_group=last.age_group,
                       gender=last.gender, occupation=last.occupation)
    form = EnrolForm(posted(request), initial=initial, districts=District.objects.filter(is_active=True))
    context = {"session": session, "programme": session.programme, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(actor=request.user, session=session, **form.cleaned_data)
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            if enrolment.status == Enrolment.Status.ENROLLED:
                messages.success(request, _("You have a seat. A confirmation is on its way to your e-mail."))
            else:
                messages.success(request, _("The session is full: you are number %(n)s on the waiting list. "
                                            "We will write to you when a seat frees.") % {
                    "n": selectors.waiting_position(enrolment)})
            return done(request, reverse("training:mine") + f"#enrolment-{enrolment.pk}")
    return render_form(request, "training/enrol.html", context)


@login_required
def mine(request):
    enrolments = selectors.with_shares(list(selectors.with_line_position(
        selectors.enrolments_of(request.user).select_related("session__programme__centre__district")
        .order_by("-session__starts_on", "-pk"))))
    today = timezone.localdate()
    for e in enrolments:
        e.completed = completion_of(e)
        e.cert = getattr(e, "certificate", None)
        if e.cert:
            e.cert.link, e.cert.pdf = e.cert.get_absolute_url(), reverse("training:certificate_pdf", args=[e.cert.code])
        e.can_report = e.status == Enrolment.Status.ENROLLED and e.session.starts_on <= today
    active = [e for e in enrolments if e.status in Enrolment.ACTIVE and e.session.ends_on >= today]
    past = [e for e in enrolments if e not in active]
    consultations = list(ConsultationSlot.objects.filter(booked_by=request.user)
                         .select_related("centre", "centre__district").order_by("-starts_at")[:50])
    now = timezone.now()
    return render(request, "training/mine.html", {
        "active": active, "past": past, "consultations": consultations, "now": now,
        "business_form": BusinessForm(),
    })


def _own_enrolment(request, pk) -> Enrolment:
    return get_object_or_404(selectors.enrolments_of(request.user), pk=pk)


@login_required
@require_POST
def enrolment_cancel(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related(*[f"session__{r}" for r in SESSION_RELATED]),
                                  pk=pk)
    own = enrolment.person_id == request.user.pk
    if not own and not request.user.has_perm("training.manage_centre", enrolment.session):
        raise Http404
    call(request, lambda: services.enrolment_cancel(actor=request.user, enrolment=enrolment),
         _("Cancelled. If someone was waiting, the seat is offered to them."))
    if own:
        return redirect("training:mine")
    return redirect("training:roster", enrolment.session_id)


@login_required
@require_POST
def offer_confirm(request, pk):
    enrolment = _own_enrolment(request, pk)
    call(request, lambda: services.offer_confirm(actor=request.user, enrolment=enrolment),
         _("Confirmed: the seat is yours."))
    return redirect(reverse("training:mine") + f"#enrolment-{enrolment.pk}")


@login_required
@require_POST
def business_report(request, pk):
    enrolment = _own_enrolment(request, pk)
    form = BusinessForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for msgs in form.errors.values() for m in msgs))
    else:
        started = form.cleaned_data["started_on"]
        if started is None and request.POST.get("started") == "1":
            started = timezone.localdate()
        call(request, lambda: services.business_report(actor=request.user, enrolment=enrolment, started_on=started),
             _("Thank you! Congratulations on your business.") if started else _("Thank you, noted."))
    return redirect(reverse("training:mine") + f"#enrolment-{enrolment.pk}")


# --- Self check-in and the code in the room ---------------------------------------------------


@login_required
def checkin(request, pk):
    lesson = get_object_or_404(Lesson.objects.filter(session__is_cancelled=False).select_related(
        *[f"session__{r}" for r in SESSION_RELATED]), pk=pk)
    form = CheckInForm(posted(request), initial={"code": request.GET.get("code", "")})
    context = {"lesson": lesson, "session": lesson.session, "form": form, "open": services.checkin_open(lesson),
               "from_qr": bool(request.GET.get("code"))}
    if request.method == "POST" and form.is_valid():
        try:
            attendance = services.self_check_in(actor=request.user, lesson=lesson, code=form.cleaned_data["code"])
        except AppError as error:
            show_app_error(request, form, error)
        else:
            context["attendance"] = attendance
    return render_form(request, "training/checkin.html", context)


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", border=2,
                                                 svgclass="qr", omitsize=True)


@login_required
def lesson_code(request, pk):
    lesson = get_object_or_404(Lesson.objects.filter(session__in=selectors.sessions_run_by(request.user))
                               .select_related(*[f"session__{r}" for r in SESSION_RELATED]), pk=pk)
    if not request.user.has_perm("training.take_attendance", lesson.session):
        raise Http404
    code = services.checkin_code(lesson)
    url = request.build_absolute_uri(reverse("training:checkin", args=[lesson.pk]) + f"?code={code}")
    context = {"lesson": lesson, "session": lesson.session, "code": code, "qr": _qr_svg(url), "url": url,
               "open": services.checkin_open(lesson), "now": timezone.now(),
               "typed_url": request.build_absolute_uri(reverse("training:checkin", args=[lesson.pk]))}
    if request.htmx:
        return render(request, "training/lesson_code.html#code", context)
    return render(request, "training/lesson_code.html", context)


