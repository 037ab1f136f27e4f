from django.urls import path

from keepwell.tickets import views

app_name = "tickets"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tickets/<int:number>/", views.ticket_detail, name="detail"),
    path("tickets/<int:number>/reply/", views.ticket_reply, name="reply"),
    path("tickets/<int:number>/status/", views.ticket_status, name="status"),
    path("tickets/<int:number>/priority/", views.ticket_priority, name="priority"),
    path("tickets/<int:number>/assign/", views.ticket_assign, name="assign"),
    path("tickets/<int:number>/team/", views.ticket_team, name="team"),
    path("tickets/<int:number>/tags/", views.ticket_tags, name="tags"),
    path("tickets/<int:number>/canned/", views.canned_replies, name="canned"),
    path(
        "tickets/<int:number>/canned/<int:reply_id>/",
        views.canned_reply_insert,
        name="canned_insert",
    ),
    path("contacts/<int:contact_id>/preferences/", views.contact_preferences, name="preferences"),
    path(
        "attachments/<int:attachment_id>/<str:filename>",
        views.attachment_download,
        name="attachment",
    ),
]
