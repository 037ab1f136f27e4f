from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "keepwell.accounts"
    label = "accounts"
