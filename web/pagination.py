"""One page of a list: a bounded number of rows whatever the list's length (two
queries: the page and its count). The count is the API's: read from the slice
subquery (or the size the database keeps of it) when that is exact, so a list of
100,000 cases is not counted by joining every grant back to its case."""

from .slice import SliceCountPaginator

PAGE_SIZE = 50


def page_of(request, queryset, per_page: int = PAGE_SIZE):
    return SliceCountPaginator(queryset, per_page).get_page(request.GET.get("page"))
