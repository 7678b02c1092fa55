"""Web routes of the meetings area (included by web/urls.py under the `web` namespace)."""

urlpatterns = []
