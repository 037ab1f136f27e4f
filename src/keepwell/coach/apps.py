from django.apps import AppConfig


class CoachConfig(AppConfig):
    name = "keepwell.coach"
    label = "coach"
