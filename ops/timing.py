"""Where a request's time goes, for bench/load.py: the Server-Timing header (W3C Server Timing).

Installed only when DALIL_SERVER_TIMING is on (config/settings.py), never by default: the durations and the
query count tell an observer something about the work behind a page. Each response then carries
`Server-Timing: app;dur=<ms>, db;dur=<ms>;desc="<n> queries"`, measured around every other middleware and
the view, with the database time of the default connection.
"""

import time

from django.db import connection


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spent = [0, 0.0]  # queries, seconds

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += 1
                spent[1] += time.perf_counter() - started

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        total = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f'app;dur={total:.1f}, db;dur={spent[1] * 1000:.1f};desc="{spent[0]} queries"'
        return response
