"""The school's start page and student list (thin views; queries live in selectors)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenant_apps.school import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the school's start page: its locations with their counts."""
    context = {"locations": selectors.locations_with_counts()}
    return render(request, "school/home.html", context)


@login_required
def student_list(request: HttpRequest) -> HttpResponse:
    """List students, optionally filtered by a search term."""
    # TODO: authorise through the school's access matrix and record the access once the
    # matrix module exists; until then every signed-in school user may see this list.
    query = request.GET.get("q", "").strip()
    students = selectors.search_students(query)[:200]
    return render(request, "school/student_list.html", {"students": students, "query": query})
