from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from outcomes.selectors import interventions_visible_to


@login_required
def home(request):
    """The start page: the interventions the signed-in user may see."""
    interventions = interventions_visible_to(request.user).select_related("association")
    reads_summaries = request.user.memberships.filter(role__in=["staff", "viewer"]).exists()
    return render(request, "outcomes/home.html", {"interventions": interventions, "reads_summaries": reads_summaries})
