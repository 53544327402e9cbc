from django.shortcuts import render

from supervision.access import workspace_view
from supervision.selectors.home import home_queues


@workspace_view
def workspace_home(request):
    return render(request, "supervision/home.html", {"queues": home_queues(request.staff)})
