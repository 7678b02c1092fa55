"""Web routes of the cases area (included by web/urls.py under the `web` namespace)."""

urlpatterns = []
