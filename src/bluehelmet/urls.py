from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .api import router
from .core import account_views, password_views

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", account_views.two_factor_status, name="two-factor"),
    path("accounts/two-factor/enrol/", account_views.two_factor_enrol, name="two-factor-enrol"),
    path("accounts/two-factor/verify/", account_views.two_factor_verify, name="two-factor-verify"),
    path("accounts/two-factor/backup-codes/", account_views.two_factor_backup_codes, name="two-factor-backup-codes"),
    path("accounts/two-factor/remove/", account_views.two_factor_remove, name="two-factor-remove"),
    path("accounts/password/", password_views.password_change, name="password-change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/auth/token/", account_views.ObtainTokenView.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("imports/", include("bluehelmet.importers.urls")),
    # Each area owns its paths (most under missions/<acronym>/...).
    path("", include("bluehelmet.incidents.urls")),
    path("", include("bluehelmet.forces.urls")),
    path("", include("bluehelmet.earlywarning.urls")),
    path("", include("bluehelmet.performance.urls")),
    path("", include("bluehelmet.elections.urls")),
    path("", include("bluehelmet.ddr.urls")),
    path("", include("bluehelmet.civilaffairs.urls")),
    path("", include("bluehelmet.humanitarian.urls")),
    path("", include("bluehelmet.core.urls")),
    path("", include("bluehelmet.overview.urls")),
]

# Used when DEBUG is off: the site's frame, navigation and a reason (core/error_views.py).
handler403 = "bluehelmet.core.error_views.permission_denied"
handler404 = "bluehelmet.core.error_views.page_not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
