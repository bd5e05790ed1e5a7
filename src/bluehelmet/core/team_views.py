"""A mission's teams and units (core.Team), which response tasks are assigned to: listed, added
and changed by the mission's administrators (who manage its members)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import TeamForm
from .gate import mission_view
from .models import Team


@require_http_methods(["GET", "POST"])
@mission_view("core.members")
def teams(request, access, pk=None):
    mission = access.mission
    team = get_object_or_404(Team, mission=mission, pk=pk) if pk is not None else None
    form = TeamForm(request.POST or None, instance=team, mission=mission)
    if request.method == "POST" and form.is_valid():
        saved = services.save_team(request.user, form)
        messages.success(request, _("Team %(name)s saved.") % {"name": saved.name})
        return redirect("mission-teams", mission.acronym)
    listed = Team.objects.filter(mission=mission).prefetch_related("members").order_by("name")
    return render(
        request,
        "core/teams.html",
        {"mission": mission, "teams": listed, "form": form, "editing": team},
        status=400 if form.errors else 200,
    )
