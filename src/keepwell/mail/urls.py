from django.urls import path

from keepwell.mail import views

app_name = "mail"
urlpatterns = [
    path("unprocessed/", views.unprocessed, name="unprocessed"),
    path("<int:inbound_id>/", views.original, name="original"),
    path("<int:inbound_id>/raw/", views.download, name="download"),
    path("<int:inbound_id>/retry/", views.retry, name="retry"),
    path("<int:inbound_id>/discard/", views.discard, name="discard"),
    path("messages/<int:message_id>/original/", views.original_of_message, name="message_original"),
    path("replies/<int:message_id>/send-again/", views.retry_delivery, name="retry_delivery"),
]
