from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from keepwell.accounts.views import LoginView
from keepwell.config.api import api
from keepwell.core import views as core_views

urlpatterns = [
    path("", core_views.root, name="root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("desk/", include("keepwell.tickets.urls")),
    path("desk/mail/", include("keepwell.mail.urls")),
    path("desk/", include("keepwell.commitments.urls")),
    path("desk/", include("keepwell.coach.urls")),
    path("desk/", include("keepwell.offers.urls")),
    path("help/", include("keepwell.portal.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
