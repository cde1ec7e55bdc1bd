from django.urls import path

from zeren.reviews import views

app_name = "review"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/indicators/<int:number>/", views.review, name="review"),
    path("<int:pk>/indicators/<int:number>/save/", views.save_rating, name="save_rating"),
    path("<int:pk>/conflict/", views.declare_conflict, name="conflict"),
]
