"""Ideas: submit one to a park, follow it, withdraw it; the park's staff triage them from their inbox.

Uploaded files are private: they are served through `idea_attachment`, after the permission check,
never from MEDIA_URL.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from texnopark.accounts.scopes import scopes_of
from texnopark.core.errors import AppError, NotFound
from texnopark.core.files import download
from texnopark.core.views import done, posted, render_form, show_app_error, submit
from texnopark.network.selectors import parks_visible_to
from texnopark.ventures import selectors, services
from texnopark.ventures.forms import DeclineForm, IdeaForm, InboxFilter, InviteForm
from texnopark.ventures.models import Idea, IdeaAttachment


def files_of(request):
    return request.FILES if request.method == "POST" else None


@login_required
def idea_new(request):
    parks = parks_visible_to(request.user).order_by("name")
    chosen = parks.filter(slug=request.GET.get("park", "")).first()
    form = IdeaForm(posted(request), files_of(request), parks=parks, initial={"park": chosen})
    saved = submit(request, form, lambda data: services.idea_submit(actor=request.user, **data),
                   _("Your idea is sent. The technopark's staff will answer here and by e-mail."))
    return saved or render_form(request, "ventures/idea_form.html", {"form": form})


@login_required
def ideas_mine(request):
    ideas = selectors.ideas_of(request.user).order_by("-created_at", "-pk")
    return render(request, "ventures/ideas_mine.html", {"ideas": ideas})


def _idea_page(request, idea: Idea, invite_form=None, decline_form=None):
    user = request.user
    can_triage = idea.status == Idea.Status.SUBMITTED and user.has_perm("ventures.triage_idea", idea)
    calls = selectors.open_calls(idea.park)
    return render(request, "ventures/idea.html", {
        "idea": idea, "attachments": list(idea.attachments.all()),
        "can_triage": can_triage, "calls": calls,
        "invite_form": invite_form or InviteForm(calls=calls),
        "decline_form": decline_form or DeclineForm(),
        "mine": idea.author_id == user.pk,
        "can_withdraw": idea.status == Idea.Status.SUBMITTED and user.has_perm("ventures.change_idea", idea),
    })


def _visible_idea(request, pk, **scope) -> Idea:
    idea = get_object_or_404(selectors.ideas_for(request.user, **scope), pk=pk)
    if not request.user.has_perm("ventures.view_idea", idea):
        raise Http404
    return idea


@login_required
def idea_detail(request, pk):
    return _idea_page(request, _visible_idea(request, pk))


@login_required
@require_POST
def idea_triage(request, pk):
    """Invite the author to an open call, or decline with a reason. On an error the page shows again, with
    the reason as typed."""
    idea = _visible_idea(request, pk, triage=True)
    if not request.user.has_perm("ventures.triage_idea", idea):
        raise Http404
    calls = selectors.open_calls(idea.park)
    invite_form = decline_form = None
    if request.POST.get("decision") == "invite":
        form = invite_form = InviteForm(request.POST, calls=calls)
    else:
        form = decline_form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            if isinstance(form, InviteForm):
                services.idea_invite(actor=request.user, idea=idea, call=form.cleaned_data["call"])
                messages.success(request, _("The author is invited to the call and told by e-mail."))
            else:
                services.idea_decline(actor=request.user, idea=idea, reason=form.cleaned_data["reason"])
                messages.success(request, _("The idea is declined; the author reads the reason."))
        except NotFound as error:
            raise Http404 from error
        except AppError as error:
            show_app_error(request, form, error)
        else:
            return done(request, idea.get_absolute_url())
    return _idea_page(request, idea, invite_form=invite_form, decline_form=decline_form)


@login_required
@require_POST
def idea_withdraw(request, pk):
    idea = _visible_idea(request, pk)
    try:
        services.idea_withdraw(actor=request.user, idea=idea)
    except NotFound as error:
        raise Http404 from error
    except AppError as error:
        messages.error(request, error.message)
        return redirect(idea)
    messages.success(request, _("The idea is withdrawn."))
    return redirect("ventures:ideas_mine")


@login_required
def idea_attachment(request, pk):
    attachment = get_object_or_404(IdeaAttachment.objects.select_related("idea__park"), pk=pk)
    if not request.user.has_perm("ventures.view_idea", attachment.idea):
        raise Http404
    return download(attachment.file)


@login_required
def ideas_inbox(request):
    """Ideas sent to the viewer's parks, those waiting for an answer first."""
    scopes = scopes_of(request.user)
    if not (scopes.superuser or scopes.staffed_parks or scopes.admin_regions):
        raise Http404
    parks = selectors.triage_parks(request.user).order_by("name")
    data = request.GET.copy()
    data.setdefault("status", Idea.Status.SUBMITTED)  # waiting for an answer, unless another status is chosen
    form = InboxFilter(data, parks=parks)
    filters = form.cleaned_data if form.is_valid() else {"status": Idea.Status.SUBMITTED}
    status = filters.get("status")
    ideas = selectors.ideas_for(request.user, status=status or None, park=filters.get("park"), triage=True)
    page = Paginator(ideas.order_by("created_at", "pk") if status == Idea.Status.SUBMITTED
                     else ideas.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in data.items() if k != "page"})
    return render(request, "ventures/ideas_inbox.html", {"form": form, "page": page, "query": query,
                                                          "parks": parks})


urlpatterns = [
    path("ideas/new/", idea_new, name="idea_new"),
    path("ideas/mine/", ideas_mine, name="ideas_mine"),
    path("ideas/inbox/", ideas_inbox, name="ideas_inbox"),
    path("ideas/<int:pk>/", idea_detail, name="idea"),
    path("ideas/<int:pk>/triage/", idea_triage, name="idea_triage"),
    path("ideas/<int:pk>/withdraw/", idea_withdraw, name="idea_withdraw"),
    path("ideas/attachments/<int:pk>/", idea_attachment, name="idea_attachment"),
]
