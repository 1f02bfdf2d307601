"""The booking pages: resources and their calendars, booking, my bookings, staff tools, iCal feeds.

Each view resolves the scope (outside it: 404), validates a form, calls one service and renders
a page or an htmx partial. Times are the park's: pages of one resource render inside
`timezone.override(zone(resource))`; lists that span parks carry naive local times (`b.start`, `b.end`).
"""

from datetime import date, datetime, timedelta
from math import ceil
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from texnopark.bookings import exports, ical, selectors, services
from texnopark.bookings.forms import (
    BlockForm,
    BookingForm,
    DecisionForm,
    RescheduleForm,
    ServiceForm,
    TrainingForm,
    UsageForm,
)
from texnopark.bookings.models import Booking, CalendarFeed, Resource, Training
from texnopark.bookings.rules import at, has_valid_training, local, zone
from texnopark.core.errors import AppError
from texnopark.core.views import done, render_form, show_app_error
from texnopark.network.selectors import facility_list_for, parks_visible_to

# Statuses a staff member still acts on for a day's list (check-in, no-show).
ON_THE_DAY = (*Booking.HOLDING, Booking.Status.NO_SHOW)


# --- Helpers --------------------------------------------------------------------------------


def park_zone(park) -> ZoneInfo:
    return ZoneInfo(park.region.timezone)


def with_local_times(bookings):
    """Naive wall-clock times in each booking's park, for lists that span parks."""
    for booking in bookings:
        booking.start = local(booking.resource, booking.starts_at).replace(tzinfo=None)
        booking.end = local(booking.resource, booking.ends_at).replace(tzinfo=None)
        if booking.hold_expires_at:
            booking.hold_until = local(booking.resource, booking.hold_expires_at).replace(tzinfo=None)
    return bookings


def describe(resources, user):
    """What a list shows beside each resource, computed without a query per row."""
    for resource in resources:
        resource.can_book = user.has_perm("bookings.book_resource", resource)
        resource.audience_labels = [Resource.Audience(a).label for a in resource.audience or []
                                    if a in Resource.Audience.values]
        resource.weekday_labels = [WEEKDAYS_ABBR[d] for d in sorted(resource.open_weekdays or [])
                                   if d in WEEKDAYS_ABBR]
    return resources


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def posted(request):
    """The posted data, or None for a GET (an empty POST is still a submitted form)."""
    return request.POST if request.method == "POST" else None


def parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def prefill(url: str, starts_at: datetime, ends_at: datetime, resource: Resource, **more) -> str:
    """A link that opens a form with this slot filled in (local wall-clock times)."""
    start, end = local(resource, starts_at), local(resource, ends_at)
    query = {"date": start.date().isoformat(), "starts_at": start.strftime("%H:%M"),
             "ends_at": end.strftime("%H:%M"), **{k: v for k, v in more.items() if v}}
    return f"{url}?{urlencode(query)}"


def show_slot_error(request, form, error: AppError, resource: Resource, url: str, **more) -> list[dict]:
    """Put a service's error beside the fields; for a taken slot, return the free ones nearby as links.

    The links replace the list of times in the service's message, so the message is shortened then.
    """
    found = alternatives(error, resource, url, **more) if error.code == "slot_taken" else []
    if found:
        short = _("This slot was just taken. Choose another time.")
        error = AppError(error.code, short, {"starts_at": [short]})
    show_app_error(request, form, error)
    return found


def alternatives(error: AppError, resource: Resource, url: str, **more) -> list[dict]:
    """The free slots near a taken one, as links that fill the form in again."""
    found = []
    for alt in error.extra.get("alternatives", []):
        starts_at, ends_at = datetime.fromisoformat(alt["starts_at"]), datetime.fromisoformat(alt["ends_at"])
        found.append({"start": local(resource, starts_at).replace(tzinfo=None),
                      "end": local(resource, ends_at).replace(tzinfo=None),
                      "href": prefill(url, starts_at, ends_at, resource, **more)})
    return found


def feed_address(request, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("bookings:ical", args=[feed.token]))


# --- Resources and calendars ----------------------------------------------------------------


def index(request):
    """Parks with something to book; for staff, their queues."""
    resources = list(selectors.resource_list_for(viewer=request.user).order_by("facility__park__name", "name"))
    parks = {}
    for resource in resources:
        entry = parks.setdefault(resource.facility.park_id, {"park": resource.facility.park, "count": 0, "kinds": {}})
        entry["count"] += 1
        label = resource.get_kind_display()
        entry["kinds"][label] = entry["kinds"].get(label, 0) + 1
    staff = []
    if request.user.is_authenticated:
        pending = dict(selectors.pending_for(request.user).order_by().values("resource__facility__park")
                       .annotate(n=Count("pk")).values_list("resource__facility__park", "n"))
        staff = [{"park": park, "pending": pending.get(park.pk, 0)}
                 for park in selectors.parks_run_by(request.user).order_by("name")]
    return render(request, "bookings/index.html", {"parks": list(parks.values()), "staff": staff})


def _resource_list(request, park, facility=None):
    resources = selectors.resource_list_for(viewer=request.user, park=park if facility is None else None,
                                            facility=facility).order_by("facility__name", "name")
    can_manage = selectors.parks_run_by(request.user).filter(pk=park.pk).exists()
    return render(request, "bookings/resource_list.html", {
        "park": park, "facility": facility, "resources": describe(list(resources), request.user),
        "can_manage": can_manage,
    })


def park_resources(request, slug):
    park = get_object_or_404(parks_visible_to(request.user).select_related("region"), slug=slug)
    return _resource_list(request, park)


def facility_resources(request, slug, pk):
    facility = get_object_or_404(facility_list_for(viewer=request.user).select_related("park__region"),
                                 park__slug=slug, pk=pk)
    return _resource_list(request, facility.park, facility)


def _mark_slots(request, resource, slots, can_link: bool) -> None:
    """Per slot: its state, and for a free one where a shortest booking fits, a link to book it."""
    now = timezone.now()
    steps = ceil(max(resource.min_minutes, resource.slot_minutes) / resource.slot_minutes)
    last_start = now + timedelta(days=resource.book_ahead_days)
    book_url = reverse("bookings:book", args=[resource.pk])
    me = request.user.pk
    for i, slot in enumerate(slots):
        slot.mine = me is not None and any(b.booked_by_id == me and not b.is_block for b in slot.bookings)
        blocked = any(b.is_block for b in slot.bookings)
        if slot.past:
            slot.state = "past"
        elif blocked:
            slot.state = "blocked"
        elif slot.free_units > 0:
            slot.state = "free"
        elif slot.mine:
            slot.state = "mine"
        else:
            slot.state = "taken"
        slot.free_count = max(slot.free_units, 0)
        run = slots[i:i + steps]
        slot.href = ""
        if (can_link and slot.state == "free" and slot.starts_at >= now and slot.starts_at <= last_start
                and len(run) == steps and all(s.free_units > 0 for s in run)):
            slot.href = prefill(book_url, slot.starts_at, run[-1].ends_at, resource)


def _calendar(request, resource) -> dict:
    today = timezone.localdate(timezone=zone(resource))
    can_book = request.user.has_perm("bookings.book_resource", resource)
    can_link = can_book or not request.user.is_authenticated
    if "day" in request.GET:
        day = parse_day(request.GET.get("day"), today)
        slots = selectors.day_slots(resource, day)
        _mark_slots(request, resource, slots, can_link)
        return {"view": "day", "day": day, "slots": slots, "today": today, "can_book": can_book,
                "prev": urlencode({"day": day - timedelta(days=1)}),
                "next": urlencode({"day": day + timedelta(days=1)}),
                "current": urlencode({"day": today}), "other": urlencode({"week": day})}
    picked = parse_day(request.GET.get("week"), today)
    monday = picked - timedelta(days=picked.weekday())
    days = selectors.week_slots(resource, monday)
    for _day, slots in days:
        _mark_slots(request, resource, slots, can_link)
    length = max((len(slots) for _day, slots in days), default=0)
    rows = []
    for i in range(length):
        cells = [slots[i] if i < len(slots) else None for _day, slots in days]
        first = next(cell for cell in cells if cell is not None)
        rows.append({"starts_at": first.starts_at, "cells": cells})
    return {"view": "week", "monday": monday, "rows": rows, "today": today,
            "days": [{"date": d, "open": bool(slots)} for d, slots in days],
            "prev": urlencode({"week": monday - timedelta(days=7)}),
            "next": urlencode({"week": monday + timedelta(days=7)}),
            "current": urlencode({"week": today}),
            "other": urlencode({"day": today if monday <= today < monday + timedelta(days=7) else monday}),
            "can_book": can_book}


def resource_detail(request, pk):
    resource = get_object_or_404(selectors.resource_list_for(viewer=request.user), pk=pk)
    describe([resource], request.user)
    with timezone.override(zone(resource)):
        context = {"resource": resource, "calendar": _calendar(request, resource),
                   "can_manage": request.user.has_perm("bookings.manage_resource", resource)}
        if request.htmx and not request.htmx.boosted:
            return render(request, "bookings/resource_detail.html#calendar", context)
        if resource.requires_training and request.user.is_authenticated:
            context["trained"] = has_valid_training(resource, request.user, context["calendar"]["today"])
        context["closed_days"] = resource.closed_days.filter(date__gte=context["calendar"]["today"])[:10]
        return render(request, "bookings/resource_detail.html", context)


# --- Booking --------------------------------------------------------------------------------


def _bookable(request, pk) -> Resource:
    resource = get_object_or_404(selectors.resource_list_for(viewer=request.user), pk=pk)
    if not request.user.has_perm("bookings.book_resource", resource):
        raise Http404
    return resource


@login_required
def book(request, pk):
    resource = _bookable(request, pk)
    initial = {k: request.GET[k] for k in ("date", "starts_at", "ends_at", "units", "purpose") if k in request.GET}
    form = BookingForm(posted(request), resource=resource, initial=initial)
    context = {"resource": resource, "form": form,
               "staff": request.user.has_perm("bookings.manage_resource", resource)}
    with timezone.override(zone(resource)):
        today = timezone.localdate()
        form.fields["date"].initial = today
        hour = at(resource, today, resource.opens_at)
        context["your_rate"] = services.price_for(resource, request.user, hour, hour + timedelta(hours=1))
        if resource.requires_training:
            context["trained"] = has_valid_training(resource, request.user, today)
            context["last_training"] = (Training.objects.filter(resource=resource, person=request.user)
                                        .order_by("-valid_until").first())
            # Without a valid training the form could never succeed: say why instead of offering it.
            context["blocked_by_training"] = not context["trained"] and not context["staff"]
        if request.method == "POST" and form.is_valid() and not context.get("blocked_by_training"):
            data = form.cleaned_data
            common = {"actor": request.user, "resource": resource, "starts_at": data["starts"],
                      "ends_at": data["ends"], "units": data["units"], "purpose": data["purpose"]}
            try:
                if data["repeat"]:
                    count = data["repeat_count"]
                    series, occurrences = services.series_create(
                        **common, count=count, until=None if count else data["repeat_until"],
                        skip_conflicts=data["skip_conflicts"])
                    context.update(series=series, occurrences=with_local_series(resource, occurrences),
                                   booked_count=sum(1 for o in occurrences if o.booking))
                    if series is None:
                        failed = sum(1 for o in occurrences if o.error)
                        form.add_error(None, ngettext(
                            "Nothing was booked: %(n)s date is taken. Tick “Skip the dates that are taken” "
                            "to book the free ones, or choose another time.",
                            "Nothing was booked: %(n)s dates are taken. Tick “Skip the dates that are taken” "
                            "to book the free ones, or choose another time.", failed) % {"n": failed})
                    return render_form(request, "bookings/book.html", context)
                booking = services.booking_create(**common)
            except AppError as error:
                context["alternatives"] = show_slot_error(
                    request, form, error, resource, reverse("bookings:book", args=[resource.pk]),
                    units=data["units"] if resource.capacity > 1 else None, purpose=data["purpose"])
            else:
                if booking.status == Booking.Status.PENDING:
                    messages.success(request, _("Your request was sent. The park staff will approve or decline it."))
                else:
                    messages.success(request, _("Booked. A confirmation is on its way to your e-mail."))
                return done(request, booking)
        return render_form(request, "bookings/book.html", context)


def with_local_series(resource, occurrences):
    for occurrence in occurrences:
        occurrence.start = local(resource, occurrence.starts_at).replace(tzinfo=None)
        occurrence.end = local(resource, occurrence.ends_at).replace(tzinfo=None)
    return occurrences


# --- My bookings ----------------------------------------------------------------------------


@login_required
def mine(request):
    now = timezone.now()
    own = selectors.bookings_of(request.user).filter(is_block=False)
    upcoming = with_local_times(list(own.filter(status__in=Booking.HOLDING, ends_at__gte=now).order_by("starts_at")))
    for booking in upcoming:
        booking.changeable = (booking.status == Booking.Status.PENDING or now <= services.cancel_deadline(booking))
    past = Paginator(own.filter(Q(ends_at__lt=now) | ~Q(status__in=Booking.HOLDING)).order_by("-starts_at"), 20)
    page = past.get_page(request.GET.get("page"))
    with_local_times(page.object_list)
    feed = services.feed_for(person=request.user)
    return render(request, "bookings/mine.html", {
        "upcoming": upcoming, "page": page, "feed_url": feed_address(request, feed),
    })


@login_required
@require_POST
def feed_regenerate(request):
    services.feed_regenerate(actor=request.user, person=request.user)
    messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    return redirect(reverse("bookings:mine") + "#feed")


def _booking(request, pk) -> Booking:
    return get_object_or_404(selectors.bookings_visible_to(request.user), pk=pk)


@login_required
def booking_detail(request, pk):
    booking = _booking(request, pk)
    with_local_times([booking])
    can_manage = request.user.has_perm("bookings.manage_resource", booking.resource)
    deadline = local(booking.resource, services.cancel_deadline(booking)).replace(tzinfo=None)
    open_for_change = booking.holds_time and not booking.is_block and (
        can_manage or booking.status == Booking.Status.PENDING or timezone.now() <= services.cancel_deadline(booking))
    return render(request, "bookings/booking_detail.html", {
        "booking": booking, "can_manage": can_manage, "deadline": deadline, "changeable": open_for_change,
        "cancellable": booking.holds_time and (open_for_change or can_manage),
    })


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = _booking(request, pk)
    try:
        services.booking_cancel(actor=request.user, booking=booking, reason=request.POST.get("reason", "")[:300])
    except AppError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking was cancelled."))
    return redirect(safe_next(request, reverse("bookings:mine")))


@login_required
def booking_change(request, pk):
    booking = _booking(request, pk)
    resource = booking.resource
    with timezone.override(zone(resource)):
        start, end = local(resource, booking.starts_at), local(resource, booking.ends_at)
        initial = {"date": start.date(), "starts_at": start.strftime("%H:%M"), "ends_at": end.strftime("%H:%M")}
        initial.update({k: request.GET[k] for k in ("date", "starts_at", "ends_at") if k in request.GET})
        form = RescheduleForm(posted(request), resource=resource, initial=initial)
        context = {"booking": with_local_times([booking])[0], "resource": resource, "form": form}
        if request.method == "POST" and form.is_valid():
            try:
                services.booking_reschedule(actor=request.user, booking=booking, starts_at=form.cleaned_data["starts"],
                                            ends_at=form.cleaned_data["ends"])
            except AppError as error:
                context["alternatives"] = show_slot_error(request, form, error, resource,
                                                          reverse("bookings:change", args=[pk]))
            else:
                messages.success(request, _("The booking was moved."))
                return done(request, booking)
        return render_form(request, "bookings/booking_change.html", context)


# --- iCal -----------------------------------------------------------------------------------


def ical_feed(request, token):
    """No sign-in: the secret address is the key. A regenerated address kills the old one."""
    feed = get_object_or_404(CalendarFeed.objects.select_related(
        "person", "resource__facility__park__region"), token=token)
    body = ical.feed_calendar(feed, domain=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bookings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- Staff: requests, the day, a resource's tools -----------------------------------------------


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
