from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "keepwell.portal"
    label = "portal"
