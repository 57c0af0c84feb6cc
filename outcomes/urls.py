from django.urls import path

from outcomes import views

urlpatterns = [
    path("", views.home, name="home"),
]
