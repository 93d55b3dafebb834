"""Stub: filled by its helper."""
from django.http import Http404


def settings_page(request, *args, **kwargs):
    raise Http404


def rule_edit(request, *args, **kwargs):
    raise Http404


def rule_delete(request, *args, **kwargs):
    raise Http404


