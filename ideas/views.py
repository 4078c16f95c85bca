from django.shortcuts import render


def idea_list(request):
    """Placeholder until the idea bank lands (issue 4)."""
    return render(request, "placeholder.html", {"title": "Банк идей"})
