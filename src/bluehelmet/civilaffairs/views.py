from django.shortcuts import render
from django.views.decorators.http import require_GET

from bluehelmet.core.missions import visible_mission_or_404


@require_GET
def index(request, acronym):
    mission = visible_mission_or_404(request.user, acronym)
    return render(request, "civilaffairs/index.html", {"mission": mission})
