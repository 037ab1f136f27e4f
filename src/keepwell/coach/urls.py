from django.urls import path

from keepwell.coach import views

app_name = "coach"
urlpatterns = [
    path("tickets/<int:number>/coach/", views.review, name="review"),
    path("tickets/<int:number>/coach/apply/", views.apply, name="apply"),
]
