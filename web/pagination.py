"""One page of a list: a bounded number of rows whatever the list's length (two
queries: the page and its count)."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def page_of(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
