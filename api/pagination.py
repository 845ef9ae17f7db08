from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100
DB_INT_MAX = 2**31 - 1  # the largest id PostgreSQL's integer column holds


class PageQuery(serializers.Serializer):
    """The paging parameters, checked like any other input: `page_size=null` or `page=0` is a 400, not a guess."""

    page = serializers.IntegerField(required=False, min_value=1, max_value=DB_INT_MAX)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        PageQuery(data={k: request.query_params[k] for k in ("page", "page_size") if k in request.query_params}).is_valid(
            raise_exception=True)
        return super().paginate_queryset(queryset, request, view)
