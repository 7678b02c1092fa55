"""Web routes of the orders area (included by web/urls.py under the `web` namespace)."""

urlpatterns = []
