"""Stub: filled by its helper."""
from django.http import Http404


def inbox(request, *args, **kwargs):
    raise Http404


def request_detail(request, *args, **kwargs):
    raise Http404


def request_action(request, *args, **kwargs):
    raise Http404


def message_post(request, *args, **kwargs):
    raise Http404


def note_add(request, *args, **kwargs):
    raise Http404


def granted_data(request, *args, **kwargs):
    raise Http404


def attachment(request, *args, **kwargs):
    raise Http404


def firms(request, *args, **kwargs):
    raise Http404


def overview(request, *args, **kwargs):
    raise Http404


def overview_xlsx(request, *args, **kwargs):
    raise Http404


def event_needs(request, *args, **kwargs):
    raise Http404


