from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from texnopark.accounts import services
from texnopark.accounts.forms import PasswordResetForm, ProfileForm, SignupForm, TokenForm
from texnopark.core.errors import AppError
from texnopark.core.views import show_app_error


def remember_language(response, language: str):
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite="Lax")
    return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        # A signed-in person reads in the language of their profile.
        return remember_language(super().form_valid(form), form.get_user().language)


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"], language=request.LANGUAGE_CODE,
            )
        except AppError as error:
            show_app_error(request, form, error)
        else:
            login(request, user, backend="texnopark.accounts.backends.AccountBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, user=request.user, **form.cleaned_data)
        except AppError as error:
            show_app_error(request, form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return remember_language(redirect("accounts:profile"), request.user.language)
    request.user.refresh_from_db()
    return render(request, "accounts/profile.html", {
        "form": form, "token_form": TokenForm(),
        "tokens": request.user.api_tokens.all(),
        "memberships": request.user.memberships.select_related("region", "park", "district"),
    })


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name."))
        return redirect("accounts:profile")
    token, plain = services.token_create(actor=request.user, name=form.cleaned_data["name"])
    return render(request, "accounts/token_created.html", {"token": token, "plain": plain})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


@require_POST
def set_language(request):
    """Switch the interface language and remember it (cookie, and the profile when signed in)."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        if request.user.is_authenticated and request.user.language != language:
            services.profile_update(actor=request.user, user=request.user, language=language)
        remember_language(response, language)
    return response


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=PasswordResetForm,
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("accounts:login"),
)
