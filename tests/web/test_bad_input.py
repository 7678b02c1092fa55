"""Bad input answers 400 on the web as on the API: every form page of the `web`
namespace re-renders a refused form with status 400 (its messages beside the fields)."""

from django.urls import URLPattern, URLResolver, get_resolver
from django.views.generic.edit import ProcessFormView

from web.forms import BadInputFormMixin


def _web_view_classes():
    found = {}

    def walk(patterns, in_web):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, in_web or entry.namespace == "web")
            elif isinstance(entry, URLPattern) and in_web and hasattr(entry.callback, "view_class"):
                found[entry.name] = entry.callback.view_class

    walk(get_resolver().url_patterns, False)
    return found


def test_every_web_form_page_answers_a_refused_form_with_400():
    views = _web_view_classes()
    forms = {name: view for name, view in views.items() if issubclass(view, ProcessFormView)}
    assert len(forms) >= 20, sorted(forms)  # the walk finds the form pages
    assert not sorted(name for name, view in forms.items() if not issubclass(view, BadInputFormMixin))
