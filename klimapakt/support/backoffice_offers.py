"""Stub: filled by its helper."""
from django.http import Http404


def offers(request, *args, **kwargs):
    raise Http404


def offer_edit(request, *args, **kwargs):
    raise Http404


def offer_delete(request, *args, **kwargs):
    raise Http404


