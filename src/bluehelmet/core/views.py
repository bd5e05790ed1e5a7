from django.shortcuts import render

from .access import missions_for


def home(request):
    return render(request, "core/home.html", {"missions": missions_for(request.user)})
