from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "keepwell.offers"
    label = "offers"
