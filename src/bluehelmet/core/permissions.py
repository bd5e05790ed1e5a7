from rest_framework.permissions import SAFE_METHODS, BasePermission


class MissionMemberReadOnly(BasePermission):
    """Logged-in users read; the querysets themselves are scoped to the user's missions
    (see core.access). Writing goes through imports and the admin for now."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.method in SAFE_METHODS)
