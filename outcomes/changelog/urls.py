from django.urls import path

from outcomes.changelog import views

urlpatterns = [path("", views.change_log, name="change-log")]
