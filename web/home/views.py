from django.views.generic import TemplateView

from web.slice import SliceView


class HomeView(SliceView, TemplateView):
    """The signed-in person's starting page (panels per role)."""

    template_name = "web/home/home.html"
