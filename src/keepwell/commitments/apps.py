from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "keepwell.commitments"
    label = "commitments"
