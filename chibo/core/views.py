"""Signing in and out. Pages about orgs and people live in the apps that own that data."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from chibo.core.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    # Django only logs out on POST, so a stray link or prefetch cannot sign anyone out.
    http_method_names = ["post", "options"]
