"""Pages for the park staff who run resources: requests, the day's list, blocks, service, training, utilisation."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from texnopark.bookings import exports, selectors, services
from texnopark.bookings.forms import (
    BlockForm,
    DecisionForm,
    ServiceForm,
    TrainingForm,
    UsageForm,
)
from texnopark.bookings.models import Booking, Resource, Training
from texnopark.bookings.rules import local, zone

# Statuses a staff member still acts on for a day's list (check-in, no-show).
from texnopark.bookings.views.common import (
    ON_THE_DAY,
    feed_address,
    park_zone,
    parse_day,
    with_local_times,
)
from texnopark.core.errors import AppError
from texnopark.core.views import done, posted, render_form, show_app_error


def _run_park(request, slug):
    return get_object_or_404(selectors.parks_run_by(request.user), slug=slug)


@login_required
def queue(request, slug):
    park = _run_park(request, slug)
    requests = with_local_times(list(selectors.pending_for(request.user).filter(resource__facility__park=park)
                                     .order_by("starts_at")))
    return render(request, "bookings/queue.html", {"park": park, "requests": requests, "form": DecisionForm()})


@login_required
@require_POST
def booking_decide(request, pk):
    booking = get_object_or_404(selectors.bookings_run_by(request.user), pk=pk)
    form = DecisionForm(request.POST)
    result, failed = "", False
    if not form.is_valid():
        result, failed = _("Choose approve or decline."), True
    else:
        try:
            booking = services.booking_decide(actor=request.user, booking=booking,
                                              approve=form.cleaned_data["approve"], note=form.cleaned_data["note"])
        except AppError as error:
            result, failed = error.message, True
        else:
            result = _("Approved: the person was told.") if booking.status == Booking.Status.CONFIRMED \
                else _("Declined: the person was told.")
    if request.htmx:
        booking = get_object_or_404(selectors.bookings_run_by(request.user), pk=pk)
        return render(request, "bookings/queue.html#request", {
            "item": with_local_times([booking])[0], "result": result, "failed": failed, "form": DecisionForm()})
    (messages.error if failed else messages.success)(request, result)
    return redirect("bookings:queue", booking.resource.facility.park.slug)


@login_required
def today(request, slug):
    park = _run_park(request, slug)
    tz = park_zone(park)
    day = parse_day(request.GET.get("day"), timezone.localdate(timezone=tz))
    start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    bookings = with_local_times(list(
        selectors.bookings_run_by(request.user)
        .filter(resource__facility__park=park, is_block=False, status__in=ON_THE_DAY,
                starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .order_by("starts_at", "resource__name")))
    with timezone.override(tz):
        return render(request, "bookings/today.html", {
            "park": park, "day": day, "bookings": bookings, "is_today": day == timezone.localdate(timezone=tz),
            "prev": (day - timedelta(days=1)).isoformat(), "next": (day + timedelta(days=1)).isoformat(),
        })


@login_required
@require_POST
def booking_check_in(request, pk):
    booking = get_object_or_404(selectors.bookings_run_by(request.user), pk=pk)
    result, failed = _("Checked in."), False
    try:
        services.booking_check_in(actor=request.user, booking=booking)
    except AppError as error:
        result, failed = error.message, True
    booking = get_object_or_404(selectors.bookings_run_by(request.user), pk=pk)
    if request.htmx:
        with timezone.override(zone(booking.resource)):
            return render(request, "bookings/today.html#row", {
                "booking": with_local_times([booking])[0], "result": result, "failed": failed})
    (messages.error if failed else messages.success)(request, result)
    day = local(booking.resource, booking.starts_at).date().isoformat()
    return redirect(reverse("bookings:today", args=[booking.resource.facility.park.slug]) + f"?day={day}")


def _run_resource(request, pk) -> Resource:
    return get_object_or_404(selectors.resources_run_by(request.user), pk=pk)


@login_required
def resource_staff(request, pk):
    resource = _run_resource(request, pk)
    now = timezone.now()
    coming = with_local_times(list(selectors.overlapping(resource, now, now + timedelta(days=14))
                                   .select_related("booked_by", "resource__facility__park__region")
                                   .order_by("starts_at")))
    trainings = Training.objects.filter(resource=resource).select_related("person")[:50]
    feed = services.feed_for(resource=resource)
    return render(request, "bookings/resource_staff.html", {
        "resource": resource, "coming": coming, "trainings": trainings, "feed_url": feed_address(request, feed),
        "today": timezone.localdate(timezone=zone(resource)),
    })


@login_required
@require_POST
def resource_feed_regenerate(request, pk):
    resource = _run_resource(request, pk)
    services.feed_regenerate(actor=request.user, resource=resource)
    messages.success(request, _("The resource's calendar has a new address. The old one no longer works."))
    return redirect(reverse("bookings:resource_staff", args=[resource.pk]) + "#feed")


def _staff_form(request, resource, form, context, save):
    context = {"resource": resource, "form": form, **context}
    with timezone.override(zone(resource)):
        if request.method == "POST" and form.is_valid():
            try:
                message = save(form.cleaned_data)
            except AppError as error:
                show_app_error(request, form, error)
            else:
                messages.success(request, message)
                return done(request, reverse("bookings:resource_staff", args=[resource.pk]))
        return render_form(request, "bookings/staff_form.html", context)


@login_required
def block(request, pk):
    resource = _run_resource(request, pk)
    form = BlockForm(posted(request), resource=resource)

    def save(data):
        try:
            services.block_create(actor=request.user, resource=resource, starts_at=data["starts"],
                                  ends_at=data["ends"], reason=data["reason"])
        except AppError as error:
            if error.code != "slot_taken":
                raise
            # For staff the free times nearby do not help: they need to know what is in the way.
            message = _("Bookings hold part of this time. Move or cancel them first: they are listed on "
                        "the resource's staff page.")
            raise AppError(error.code, message, {"starts_at": [message]}) from error
        return _("The time is blocked.")

    return _staff_form(request, resource, form, {
        "title": _("Block time"), "submit": _("Block this time"),
        "intro": _("Nobody can book a blocked time. It must be free: move or cancel the bookings in it first."),
    }, save)


@login_required
def service(request, pk):
    resource = _run_resource(request, pk)
    form = ServiceForm(posted(request), resource=resource)

    def save(data):
        taking_out = resource.in_service
        told = services.resource_set_in_service(actor=request.user, resource=resource, in_service=not taking_out,
                                                reason=data.get("reason", ""))
        if not taking_out:
            return _("The resource is back in service and can be booked.")
        return ngettext(
            "The resource is out of service. %(n)s future booking was cancelled and its holder told by e-mail.",
            "The resource is out of service. %(n)s future bookings were cancelled and their holders told by e-mail.",
            told) % {"n": told}

    if resource.in_service:
        now = timezone.now()
        affected = selectors.overlapping(resource, now, now + timedelta(days=3650)).filter(
            is_block=False, starts_at__gte=now).count()
        text = {"title": _("Take out of service"), "submit": _("Take out of service"), "danger": True,
                "intro": ngettext(
                    "Nobody can book it until it is back. %(n)s future booking will be cancelled and its holder told.",
                    "Nobody can book it until it is back. %(n)s future bookings will be cancelled and their "
                    "holders told.", affected) % {"n": affected}}
    else:
        text = {"title": _("Put back into service"), "submit": _("Put back into service"),
                "intro": _("Out of service: %(reason)s") % {"reason": resource.out_of_service_reason or "—"}}
    return _staff_form(request, resource, form, text, save)


@login_required
def training(request, pk):
    resource = _run_resource(request, pk)
    today = timezone.localdate(timezone=zone(resource))
    form = TrainingForm(posted(request), initial={"trained_on": today, "valid_until": today + timedelta(days=365)})

    def save(data):
        services.training_record(actor=request.user, resource=resource, person=data["person"],
                                 trained_on=data["trained_on"], valid_until=data["valid_until"])
        return _("The training of %(person)s is recorded until %(date)s.") % {
            "person": data["person"], "date": data["valid_until"].strftime("%d.%m.%Y")}

    trainings = Training.objects.filter(resource=resource).select_related("person")[:50]
    return _staff_form(request, resource, form, {
        "title": _("Record a training"), "submit": _("Record the training"), "trainings": trainings,
        "today": today,
        "intro": _("Without a valid training nobody can book this instrument."),
    }, save)


# --- Utilisation and billing ------------------------------------------------------------------


def _usage_scope(request):
    parks = selectors.parks_run_by(request.user).order_by("name")
    if not parks.exists():
        raise Http404
    today = timezone.localdate()
    data = request.GET if "first" in request.GET else {
        "first": today.replace(day=1).isoformat(), "last": today.isoformat(), "park": request.GET.get("park", "")}
    form = UsageForm(data, parks=parks)
    if not form.is_valid():
        return form, None, None, None
    first, last, park = form.cleaned_data["first"], form.cleaned_data["last"], form.cleaned_data["park"]
    resources = selectors.resources_run_by(request.user).order_by("facility__park__name", "facility__name", "name")
    if park:
        resources = resources.filter(facility__park=park)
    return form, list(resources), first, last


def _usage_tree(resources, usage):
    """Park → facility → resource rows, each level with its total."""
    tree = []
    for resource in resources:
        park, facility = resource.facility.park, resource.facility
        if not tree or tree[-1]["park"].pk != park.pk:
            tree.append({"park": park, "total": selectors.Usage(), "facilities": []})
        facilities = tree[-1]["facilities"]
        if not facilities or facilities[-1]["facility"].pk != facility.pk:
            facilities.append({"facility": facility, "total": selectors.Usage(), "rows": []})
        facilities[-1]["rows"].append({"resource": resource, "usage": usage[resource.pk]})
        facilities[-1]["total"].add(usage[resource.pk])
        tree[-1]["total"].add(usage[resource.pk])
    return tree


@login_required
def usage(request):
    form, resources, first, last = _usage_scope(request)
    context = {"form": form}
    if resources is not None:
        report = selectors.utilisation(resources, first, last)
        total = selectors.Usage()
        for item in report.values():
            total.add(item)
        context.update(tree=_usage_tree(resources, report), total=total, first=first, last=last,
                       export=reverse("bookings:usage_xlsx") + "?" + urlencode(
                           {"first": first.isoformat(), "last": last.isoformat(),
                            "park": form.cleaned_data["park"].slug if form.cleaned_data["park"] else ""}))
    return render(request, "bookings/usage.html", context)


@login_required
def usage_xlsx(request):
    form, resources, first, last = _usage_scope(request)
    if resources is None:
        raise Http404
    report = selectors.utilisation(resources, first, last)
    tz = zone(resources[0]) if resources else timezone.get_current_timezone()
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    rows = with_local_times(list(
        selectors.bookings_run_by(request.user)
        .filter(resource__in=resources, status__in=selectors.BOOKED, is_block=False,
                starts_at__gte=start, starts_at__lt=start + timedelta(days=(last - first).days + 1))
        .order_by("starts_at", "resource__name")))
    body = exports.usage_workbook(bookings=rows, tree=_usage_tree(resources, report), first=first, last=last)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="usage-{first:%Y%m%d}-{last:%Y%m%d}.xlsx"'
    return response
