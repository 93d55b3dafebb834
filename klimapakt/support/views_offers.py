"""Stub: filled by its helper."""
from django.http import Http404


def offers(request, *args, **kwargs):
    raise Http404


def offer(request, *args, **kwargs):
    raise Http404


