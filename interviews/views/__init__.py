"""The interviews app's pages, one module per URL group (interviews/urls.py includes them in the
same groups): dashboard, plan, live, screen, scorecard, candidates, analytics.

Every view finds its interview, item or candidate, and checks the user's role, through `access`:
a reader who may not see an object gets 404 (nothing about it leaks), a write refused for a
reason the user can act on raises `access.Refused`, which `access.refuses` turns into a 4xx page
or htmx answer.
"""
