from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "keepwell.tickets"
    label = "tickets"
