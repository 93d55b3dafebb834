"""Stub: filled by its helper."""
from django.http import Http404


def requests(request, *args, **kwargs):
    raise Http404


def request_create(request, *args, **kwargs):
    raise Http404


def request_detail(request, *args, **kwargs):
    raise Http404


def request_send(request, *args, **kwargs):
    raise Http404


def message_post(request, *args, **kwargs):
    raise Http404


def grant(request, *args, **kwargs):
    raise Http404


def withdraw(request, *args, **kwargs):
    raise Http404


def attachment(request, *args, **kwargs):
    raise Http404


