"""The partner-facing area ("Mein Bereich"): organisations, members, invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import InvitationForm, OrganisationForm
from .models import Invitation, Membership, Organisation
from .selectors import organisations_of


def _organisation_for(request, pk, perm="partners.view_organisation"):
    organisation = get_object_or_404(Organisation, pk=pk)
    if not request.user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


def _form_errors_from(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


@login_required
def dashboard(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organisation").order_by(
        "organisation__name")
    return render(request, "partners/dashboard.html", {"memberships": memberships})


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Die Organisation „%(name)s“ wurde angelegt.") % {"name": organisation.name})
            return redirect("portal:organisation", pk=organisation.pk)
    return render(request, "partners/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, pk):
    organisation = _organisation_for(request, pk)
    can_manage = request.user.has_perm("partners.manage_members", organisation)
    form = InvitationForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.invitation_create(organisation=organisation, invited_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                messages.success(request, _("Die Einladung an %(email)s wurde verschickt.") % form.cleaned_data)
                return redirect("portal:organisation", pk=organisation.pk)
    return render(request, "partners/organisation_detail.html", {
        "organisation": organisation,
        "memberships": organisation.memberships.select_related("user").order_by("user__email"),
        "invitations": [i for i in organisation.invitations.all() if i.is_open] if can_manage else [],
        "can_manage": can_manage,
        "form": form,
    })


@login_required
@require_POST
def membership_remove(request, pk, membership_pk):
    organisation = _organisation_for(request, pk, "partners.manage_members")
    membership = get_object_or_404(Membership, pk=membership_pk, organisation=organisation)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(email)s wurde aus der Organisation entfernt.") % {"email": membership.user.email})
    return redirect("portal:organisation", pk=organisation.pk)


def invitation_accept(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if not request.user.is_authenticated:
        return render(request, "partners/invitation_login.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("portal:dashboard")
        messages.success(request, _("Sie gehören jetzt zu „%(name)s“.") % {"name": invitation.organisation.name})
        return redirect("portal:organisation", pk=invitation.organisation_id)
    return render(request, "partners/invitation_accept.html", {"invitation": invitation})
