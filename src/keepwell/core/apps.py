from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "keepwell.core"
    label = "core"
    default = True


class KeepwellAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "keepwell.core.admin.OwnerAdminSite"
