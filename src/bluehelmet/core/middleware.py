"""Login for every page. The API answers 401/403 itself (DRF), so it is left to DRF."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

OPEN_PATHS = ("/accounts/login/", "/static/", "/i18n/", "/favicon.ico")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            request.user.is_authenticated
            or path.startswith(OPEN_PATHS)
            or path.startswith("/api/")
        ):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
