from django.urls import path

from keepwell.commitments import views

app_name = "commitments"
urlpatterns = [
    path("promises/", views.mine, name="mine"),
    path("tickets/<int:number>/promises/", views.add, name="add"),
    path("promises/<int:pk>/keep/", views.keep, name="keep"),
    path("promises/<int:pk>/break/", views.break_, name="break"),
    path("promises/<int:pk>/renegotiate/", views.renegotiate, name="renegotiate"),
]
