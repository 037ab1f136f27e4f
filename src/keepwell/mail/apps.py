from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "keepwell.mail"
    label = "mail"
