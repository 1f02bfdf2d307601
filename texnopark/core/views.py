from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from texnopark.accounts.scopes import scopes_of
from texnopark.core.errors import AppError
from texnopark.core.selectors import audit_list_for


def show_app_error(request, form, error: AppError) -> None:
    """Put a service's error beside its fields, or on top of the form."""
    placed = False
    for name, msgs in error.fields.items():
        for msg in msgs:
            if name in form.fields:
                form.add_error(name, msg)
                placed = True
            else:
                form.add_error(None, msg)
                placed = True
    if not placed:
        form.add_error(None, error.message)


def posted(request):
    """The form data of a POST, or None: a GET shows the form unbound."""
    return request.POST if request.method == "POST" else None


def done(request, to):
    """After a successful form: a normal redirect, or a client-side one for htmx."""
    response = redirect(to)
    return HttpResponseClientRedirect(response.url) if request.htmx else response


def submit(request, form, save, message: str):
    """Validate a posted form and hand its data to one service call.

    Returns the response after success (a message and the saved object's page), or None:
    then the caller renders the form again, with the errors and everything that was typed.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save(form.cleaned_data)
    except AppError as error:
        show_app_error(request, form, error)
        return None
    messages.success(request, message)
    return done(request, saved)


def render_form(request, template: str, context: dict, status: int = 200):
    """Whole page, or only the form partial for an htmx request."""
    name = f"{template}#form" if request.htmx else template
    return render(request, name, context, status=status)


@login_required
def audit_log(request):
    scopes = scopes_of(request.user)
    if not (scopes.superuser or scopes.admin_regions):
        raise Http404
    entries = audit_list_for(
        viewer=request.user,
        object_type=request.GET.get("object_type", ""),
        object_id=request.GET.get("object_id", ""),
        actor=request.GET.get("actor", ""),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "filters": request.GET})


@login_required
def notifications(request):
    """The person's notifications, newest first; opening the page marks them read."""
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    unread = [note.pk for note in page if note.read_at is None]
    response = render(request, "core/notifications.html", {"page": page, "unread": set(unread)})
    request.user.notifications.filter(pk__in=unread).update(read_at=timezone.now())
    return response
