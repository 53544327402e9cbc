"""Pages that hold what a regulator sees (the workspace, the admin site) are never stored by a browser
or a proxy: `Cache-Control: no-store` on every response under their prefixes.

The back button of a shared office computer, or a cache between the office and the server, must not
show a 双告知 case, a person's ID number or an audit search to whoever comes next.
"""

from django.utils.cache import add_never_cache_headers

PRIVATE_PREFIXES = ("/supervision/", "/admin/", "/enterprise/")


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(PRIVATE_PREFIXES):
            # no-store, no-cache, must-revalidate, private, max-age=0 and an Expires in the past.
            add_never_cache_headers(response)
        return response
