from django.shortcuts import render

from supervision.access import workspace_view
from supervision.selectors.home import colour_health, home_queues


@workspace_view
def workspace_home(request):
    context = {"queues": home_queues(request.staff), "health": colour_health()}
    return render(request, "supervision/home.html", context)
