"""Axes' own admin lists the locked pairs (delete one to unlock it); its two logs are not kept
here (settings: AXES_DISABLE_ACCESS_LOG, no failure log), so their empty pages are not shown."""

from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin

admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)
