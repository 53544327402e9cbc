from django.shortcuts import render


def home(request):
    return render(request, "disclosure/home.html", {})
