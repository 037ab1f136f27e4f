from django.urls import path

from keepwell.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new_request, name="new_request"),
    path("offers/", views.offers, name="offers"),
    path("policies/", views.policies, name="policies"),
    path("sent/", views.request_sent, name="sent"),
    path("link/", views.request_link, name="request_link"),
    path("l/<str:token>/", views.open_link, name="open_link"),
    path("requests/", views.my_requests, name="my_requests"),
    path("requests/<int:number>/", views.request_detail, name="request_detail"),
    path("requests/<int:number>/reply/", views.request_reply, name="request_reply"),
    path("requests/<int:number>/close/", views.request_close, name="request_close"),
    path(
        "attachments/<int:attachment_id>/<str:filename>",
        views.attachment,
        name="attachment",
    ),
]
