from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "keepwell.customers"
    label = "customers"
