"""Web routes of the reports area (included by web/urls.py under the `web` namespace)."""

urlpatterns = []
