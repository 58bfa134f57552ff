from django.urls import path

from safehub.sharing import views

app_name = "sharing"
urlpatterns = [
    path("ledger/", views.ledger_view, name="ledger"),
    # The download has an address of its own that ends in .csv, so browsers and tools know it for one.
    path("ledger.csv", views.ledger_csv, name="ledger-csv"),
    path("seen/", views.seen_view, name="seen"),
    path("contacts/<int:pk>/decline/", views.decline, name="decline"),
]
