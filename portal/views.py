from django.shortcuts import get_object_or_404, render

from portal.models import Page


def start(request):
    return render(request, "portal/start.html")


def page(request, slug):
    page = get_object_or_404(Page, slug=slug)
    title, body = page.localized()
    return render(request, "portal/page.html", {"page": page, "title": title, "body": body})
