from django.urls import path

from keepwell.offers import views

app_name = "offers"
urlpatterns = [
    path("tickets/<int:number>/scope/", views.scope, name="scope"),
    path("tickets/<int:number>/offer/", views.set_offer, name="set_offer"),
    path("tickets/<int:number>/decline-draft/", views.draft, name="draft"),
    path("demand/", views.demand, name="demand"),
]
