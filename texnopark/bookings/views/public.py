"""Pages for everyone who books: resources, calendars, the booking form, my bookings, iCal feeds."""

from datetime import timedelta
from math import ceil
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

from texnopark.bookings import ical, selectors, services
from texnopark.bookings.forms import (
    BookingForm,
    RescheduleForm,
)
from texnopark.bookings.models import Booking, CalendarFeed, Resource, Training
from texnopark.bookings.rules import at, has_valid_training, local, zone

# Statuses a staff member still acts on for a day's list (check-in, no-show).
from texnopark.bookings.views.common import (
    describe,
    feed_address,
    parse_day,
    prefill,
    safe_next,
    show_slot_error,
    with_local_times,
)
from texnopark.core.errors import AppError
from texnopark.core.views import done, posted, render_form
from texnopark.network.selectors import facility_list_for, parks_visible_to


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


