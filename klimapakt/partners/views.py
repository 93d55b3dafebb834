"""The partner-facing area ("Mein Bereich"): organisations, members, invitations and the
way to the Klimapartnerschaft (interest, agreement, targets, profile, documents, leaving)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimapakt.core.forms import apply_validation_error as _form_errors_from
from klimapakt.core.responses import private_file
from klimapakt.core.selectors import current_pact
from klimapakt.core.text import render_markdown

from . import documents, geocoding, registry, selectors, services
from .forms import (
    AgreementForm,
    InterestForm,
    InvitationForm,
    LeaveForm,
    ProfileForm,
    TalkAnswerForm,
    TargetForm,
)
from .lifecycle import LIFECYCLE
from .maps import map_config
from .models import Invitation, Membership, Organisation, OrganisationDocument, OrientationTalk
from .selectors import memberships_for_dashboard, open_talk, organisation_for


def _organisation_for(request, pk, perm="partners.view_organisation"):
    return organisation_for(request.user, pk, perm)


@login_required
def dashboard(request):
    return render(request, "partners/dashboard.html", {
        "memberships": memberships_for_dashboard(request.user), "Stage": Organisation.Stage,
        "Answer": OrientationTalk.Answer, "now": timezone.now()})


@login_required
def organisation_create(request):
    """Register an organisation's interest in becoming a Klimapartner."""
    form = InterestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.interest_register(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Vielen Dank! Die Geschäftsstelle meldet sich bei Ihnen, um ein "
                                        "Orientierungsgespräch zu vereinbaren."))
            return redirect("portal:organisation", pk=organisation.pk)
    return render(request, "partners/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, pk):
    organisation = _organisation_for(request, pk)
    can_manage = request.user.has_perm("partners.manage_members", organisation)
    can_change = request.user.has_perm("partners.change_organisation", organisation)
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
    pact = current_pact()
    agreement = selectors.open_agreement(organisation)
    talk = open_talk(organisation) if LIFECYCLE.allows(organisation.stage, "answer_talk") else None
    can_answer = talk is not None and talk.can_be_answered and request.user.has_perm("partners.answer_talk",
                                                                                        organisation)
    badge_url = None
    if organisation.is_listed:
        badge_url = request.build_absolute_uri(reverse("partners:badge_public", args=[organisation.pk, "png"]))
    return render(request, "partners/organisation_detail.html", {
        "organisation": organisation,
        "memberships": organisation.memberships.select_related("user").order_by("user__email"),
        "invitations": [i for i in organisation.invitations.all() if i.is_open] if can_manage else [],
        "can_manage": can_manage,
        "can_change": can_change,
        "form": form,
        "agreement": agreement,
        "talk": talk,
        "can_answer": can_answer,
        "answer_form": TalkAnswerForm(auto_id="talk_%s") if can_answer and not talk.is_answered else None,
        "Answer": OrientationTalk.Answer,
        "targets": list(organisation.targets.current()),
        "documents": organisation.documents.filter(shared_with_organisation=True),
        "badge_url": badge_url,
        "organisation_links": list(registry.organisation_links),
        "public_url": request.build_absolute_uri(reverse("partners:detail", args=[organisation.pk]))
        if organisation.is_listed else None,
        "badge_alt": documents.badge_texts(organisation, pact)["alt"],
        "Stage": Organisation.Stage,
    })


@login_required
def organisation_edit(request, pk):
    """Correct the organisation's data (name, address, sector, contact person)."""
    organisation = _organisation_for(request, pk, "partners.change_organisation")
    form = InterestForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, actor=request.user,
                                         **{f: form.cleaned_data[f] for f in form.changed_data})
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Die Angaben wurden gespeichert."))
            return redirect("portal:organisation", pk=organisation.pk)
    return render(request, "partners/organisation_edit.html", {"organisation": organisation, "form": form})


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


@login_required
def talk_answer(request, pk):
    """Accept or decline the date the pact office proposed for the orientation talk."""
    organisation = _organisation_for(request, pk, "partners.answer_talk")
    talk = open_talk(organisation) if LIFECYCLE.allows(organisation.stage, "answer_talk") else None
    form = TalkAnswerForm(request.POST or None, auto_id="talk_%s")
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.talk_answer(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            if talk.answer == OrientationTalk.Answer.ACCEPTED:
                messages.success(request, _("Vielen Dank, Sie haben den Termin zugesagt. Die Geschäftsstelle ist "
                                            "informiert."))
            else:
                messages.success(request, _("Sie haben den Termin abgelehnt. Die Geschäftsstelle ist informiert und "
                                            "schlägt Ihnen einen neuen Termin vor."))
            return redirect("portal:organisation", pk=organisation.pk)
    return render(request, "partners/talk_answer.html", {
        "organisation": organisation, "talk": talk, "form": form, "Answer": OrientationTalk.Answer})


@login_required
def agreement(request, pk):
    """Fill in the Klimapartnerschaftsvereinbarung: save a draft, or sign and submit."""
    organisation = _organisation_for(request, pk)
    can_change = request.user.has_perm("partners.change_organisation", organisation)
    pact = current_pact()
    current = selectors.open_agreement(organisation)
    version = current.version if current and not current.is_editable else selectors.current_agreement_version(pact)
    initial = {}
    if current:
        initial = {f: getattr(current, f) for f in ("signatory_name", "signatory_role", "accepts_obligations",
                                                    "consents_publication")}
    form = AgreementForm(request.POST or None, initial=initial, draft="submit" not in request.POST)
    editable = can_change and (current is None or current.is_editable) and LIFECYCLE.allows(
        organisation.stage, "save_agreement")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                saved = services.agreement_save(organisation=organisation, actor=request.user, **form.cleaned_data)
                if "submit" in request.POST:
                    services.agreement_submit(agreement=saved, actor=request.user)
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                if "submit" in request.POST:
                    messages.success(request, _("Ihre Vereinbarung wurde eingereicht. Die Geschäftsstelle prüft "
                                                "sie und zeichnet gegen."))
                    return redirect("portal:organisation", pk=organisation.pk)
                messages.success(request, _("Ihr Entwurf wurde gespeichert."))
                return redirect("portal:agreement", pk=organisation.pk)
    signed = documents.agreement_document(current, pact) if current and current.snapshot else None
    if signed:  # counter-signed: the document of record, not today's data
        version, text, targets = signed.version, signed.version.text, signed.targets
        months, years, target_year = signed.baseline_report_due_months, signed.monitoring_years, signed.target_year
    else:
        text = render_markdown(version.text) if version else ""
        targets = list(organisation.targets.current())
        months, years, target_year = pact.baseline_report_due_months, pact.monitoring_years(), pact.target_year
    return render(request, "partners/agreement.html", {
        "organisation": organisation, "agreement": current, "signed": signed, "version": version, "form": form,
        "text": text, "editable": editable, "can_change": can_change, "targets": targets,
        "baseline_months": months, "monitoring_years": years, "target_year": target_year,
    })


@login_required
def targets(request, pk, target_pk=None):
    """List the organisation's targets and add or change one."""
    organisation = _organisation_for(request, pk)
    can_change = request.user.has_perm("partners.change_organisation", organisation)
    target = get_object_or_404(organisation.targets.current(), pk=target_pk) \
        if target_pk else None
    pact = current_pact()
    form = TargetForm(request.POST or None, instance=target, pact=pact) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.target_save(organisation=organisation, actor=request.user, target=target,
                                     **form.cleaned_data)
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                messages.success(request, _("Das Ziel wurde gespeichert."))
                return redirect("portal:targets", pk=organisation.pk)
    return render(request, "partners/targets.html", {
        "organisation": organisation, "targets": list(organisation.targets.current()),
        "form": form, "target": target, "can_change": can_change,
        "versioned": organisation.stage in (Organisation.Stage.ACTIVE, Organisation.Stage.PAUSED),
    })


@login_required
@require_POST
def target_delete(request, pk, target_pk):
    organisation = _organisation_for(request, pk, "partners.change_organisation")
    target = get_object_or_404(organisation.targets.current(), pk=target_pk)
    try:
        services.target_delete(target=target, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Das Ziel wurde entfernt."))
    return redirect("portal:targets", pk=organisation.pk)


@login_required
def profile(request, pk):
    """The public profile: what the directory shows while the organisation is an active partner."""
    organisation = _organisation_for(request, pk, "partners.change_organisation")
    if request.method == "POST" and "geocode" in request.POST:
        return _profile_from_address(request, organisation)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Ihr Profil wurde gespeichert."))
            return redirect("portal:profile", pk=organisation.pk)
    return _render_profile(request, organisation, form)


def _profile_from_address(request, organisation):
    """"Aus der Adresse ermitteln": the server asks the geocoder and shows the form with the found
    location filled in; nothing is saved until the person checks the point and saves the profile."""
    try:
        found = geocoding.geocode_organisation(organisation)
    except geocoding.GeocodingError as error:
        return _render_profile(request, organisation, ProfileForm(instance=organisation), geocode_error=str(error))
    form = ProfileForm(instance=organisation, initial={"latitude": found.latitude, "longitude": found.longitude})
    return _render_profile(request, organisation, form, geocode_found=found)


def _render_profile(request, organisation, form, **extra):
    return render(request, "partners/profile.html", {
        "organisation": organisation, "form": form, "map": map_config(), "geocoder": geocoding.is_enabled(),
        **extra})


@login_required
def leave(request, pk):
    organisation = _organisation_for(request, pk, "partners.change_organisation")
    if not LIFECYCLE.allows(organisation.stage, "leave"):
        messages.info(request, _("Die Organisation ist bereits ausgetreten."))
        return redirect("portal:organisation", pk=organisation.pk)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_leave(organisation=organisation, actor=request.user,
                                       reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _form_errors_from(form, error)
        else:
            messages.success(request, _("Ihre Organisation ist aus dem Klimapakt ausgetreten. Ihre Daten bleiben "
                                        "erhalten; der öffentliche Eintrag ist entfernt."))
            return redirect("portal:organisation", pk=organisation.pk)
    return render(request, "partners/leave.html", {"organisation": organisation, "form": form})


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agreement_pdf(request, pk):
    organisation = _organisation_for(request, pk)
    agreement = organisation.agreements.select_related("version", "countersigned_by").first()
    if agreement is None:
        raise Http404
    return _pdf_response(documents.agreement_pdf(agreement), documents.pdf_filename("vereinbarung", organisation))


def _require_partner(organisation):
    if organisation.stage != Organisation.Stage.ACTIVE or not organisation.partner_since:
        raise Http404(_("Urkunde und Siegel gibt es für aktive Klimapartner."))


@login_required
def certificate_pdf(request, pk):
    organisation = _organisation_for(request, pk)
    _require_partner(organisation)
    return _pdf_response(documents.certificate_pdf(organisation), documents.pdf_filename("urkunde", organisation))


def _badge_response(organisation, fmt, *, public: bool):
    pact = current_pact()
    if fmt == "svg":
        response = HttpResponse(documents.badge_svg(organisation, pact), content_type="image/svg+xml")
    elif fmt == "png":
        response = HttpResponse(documents.badge_png(organisation, pact), content_type="image/png")
    else:
        raise Http404
    response["Cache-Control"] = "public, max-age=86400" if public else "private, max-age=3600"
    if public:
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
    else:
        response["Content-Disposition"] = f'attachment; filename="{documents.pdf_filename("klimapartner-siegel", organisation, fmt)}"'
    return response


@login_required
def badge(request, pk, fmt):
    organisation = _organisation_for(request, pk)
    _require_partner(organisation)
    return _badge_response(organisation, fmt, public=False)


@login_required
def document_download(request, pk, document_pk):
    organisation = _organisation_for(request, pk)
    qs = OrganisationDocument.objects.filter(organisation=organisation)
    if not request.user.has_perm("partners.view_staff_notes"):
        qs = qs.filter(shared_with_organisation=True)
    document = get_object_or_404(qs, pk=document_pk)
    return private_file(document.file, f"{document.title[:80]}.pdf", "application/pdf")


def _masked_address(email: str) -> str:
    """k…@alpha.example: enough for the person to recognise the address, not to learn it."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


def invitation_accept(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if not request.user.is_authenticated:
        return render(request, "partners/invitation_login.html", {
            "invitation": invitation, "invited": _masked_address(invitation.email)})
    if invitation.is_open and not selectors.invitation_is_for(invitation, request.user):
        # Bound to the invited address: whoever else opens the link is told to sign in with it.
        return render(request, "partners/invitation_accept.html", {
            "invitation": invitation, "other_address": True, "invited": _masked_address(invitation.email)})
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("portal:dashboard")
        messages.success(request, _("Sie gehören jetzt zu „%(name)s“.") % {"name": invitation.organisation.name})
        return redirect("portal:organisation", pk=invitation.organisation_id)
    return render(request, "partners/invitation_accept.html", {"invitation": invitation})

