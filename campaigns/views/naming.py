"""A campaign's part after scoring (命名): the naming page and its forms, the two downloads, and
the public 公示 page.

The naming page: the staff of the campaign's programme's departments propose the list, open
the 公示, answer objections, name the list and withdraw designations; other staff and leaders
of the plan's federation read it all; a unit's users see their own unit's designations only
(orgs.access). A refused post shows the page again with everything as typed and the reason
above the form. The 公示 page needs no login: from the publicity's first day it shows the
proposed list and the objection form, after its last day only that it has ended; before, 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import audit_record
from campaigns import documents
from campaigns.naming_forms import (
    AnswerForm,
    NameForm,
    ObjectionForm,
    ProposeForm,
    PublicityForm,
    WithdrawForm,
)
from campaigns.selectors import naming as selectors
from campaigns.services import naming as services
from common import clock
from common.errors import ServiceError
from common.excel import XLSX_CONTENT_TYPE
from orgs.access import require_campaign_runner, require_federation_reader


def _campaign(request, pk):
    return selectors.naming_campaign_get(actor=request.user, pk=pk)


def _runner(request, pk):
    campaign = _campaign(request, pk)
    require_campaign_runner(request.user, selectors.campaign_runner_departments(campaign))
    return campaign


def _page(request, campaign, status=200, **forms):
    page = selectors.naming_page(campaign=campaign, actor=request.user)
    today = clock.today()
    context = {
        "plan": campaign.plan,
        "campaign": campaign,
        "page": page,
        "today": today,
        "propose_form": forms.get("propose")
        or ProposeForm(
            admitted=page.admitted,
            initial={"nominations": [n.pk for n in page.proposed] or page.suggested},
        ),
        "publicity_form": forms.get("publicity") or PublicityForm(initial={"starts_on": today}),
        "answer_form": forms.get("answer") or AnswerForm(),
        "answer_pk": forms.get("answer_pk"),
        "name_form": forms.get("name") or NameForm(initial={"named_on": today}),
        "withdraw_form": forms.get("withdraw") or WithdrawForm(initial={"withdrawn_on": today}),
        "withdraw_pk": forms.get("withdraw_pk"),
    }
    return render(request, "campaigns/naming.html", context, status=status)


@require_GET
def naming(request, pk):
    return _page(request, _campaign(request, pk))


@require_POST
def propose(request, pk):
    campaign = _runner(request, pk)
    admitted = selectors.naming_page(campaign=campaign, actor=request.user).admitted
    form = ProposeForm(request.POST, admitted=admitted)
    if form.is_valid():
        chosen = set(form.cleaned_data["nominations"])
        try:
            services.campaign_propose(
                campaign=campaign,
                actor=request.user,
                nominations=[n for n in admitted if n.pk in chosen],
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, f"已提出拟命名名单（{len(chosen)}个）。")
            return redirect("campaigns:naming", pk=campaign.pk)
    return _page(request, campaign, propose=form)


@require_POST
def publicity_open(request, pk):
    campaign = _runner(request, pk)
    form = PublicityForm(request.POST)
    if form.is_valid():
        try:
            campaign = services.campaign_publicity_open(
                campaign=campaign, actor=request.user, starts_on=form.cleaned_data["starts_on"]
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(
                request,
                f"公示时间：{campaign.publicity_from} 至 {campaign.publicity_until}。",
            )
            return redirect("campaigns:naming", pk=campaign.pk)
    return _page(request, campaign, publicity=form)


@require_POST
def objection_answer(request, pk, objection_pk):
    campaign = _runner(request, pk)
    objection = selectors.objection_get(actor=request.user, campaign=campaign, pk=objection_pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(
                objection=objection, actor=request.user, answer=form.cleaned_data["answer"]
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, "已答复该异议。")
            return redirect("campaigns:naming", pk=campaign.pk)
    return _page(request, campaign, answer=form, answer_pk=objection.pk)


@require_POST
def name(request, pk):
    campaign = _runner(request, pk)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            named = services.campaign_name(
                campaign=campaign, actor=request.user, **form.cleaned_data
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, f"已命名{len(named)}个“{campaign.named_as}”。")
            return redirect("campaigns:naming", pk=campaign.pk)
    return _page(request, campaign, name=form)


@require_POST
def designation_withdraw(request, pk):
    designation = selectors.designation_get(actor=request.user, pk=pk)
    campaign = _runner(request, designation.campaign_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.designation_withdraw(
                designation=designation, actor=request.user, **form.cleaned_data
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, f"已撤销“{designation.name}”的命名。")
            return redirect("campaigns:naming", pk=campaign.pk)
    return _page(request, campaign, withdraw=form, withdraw_pk=designation.pk)


def _download(request, campaign, what: str, content: bytes, filename: str, content_type: str):
    audit_record(
        actor=request.user, event="campaigns.naming.exported", target=campaign, after={"what": what}
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _named(request, pk):
    campaign = _campaign(request, pk)
    require_federation_reader(request.user)
    if campaign.named_on is None:
        messages.error(request, "尚未命名，还没有命名决定和证书名单。")
        return campaign, redirect("campaigns:naming", pk=campaign.pk)
    return campaign, None


@require_GET
def decision_docx(request, pk):
    campaign, refused = _named(request, pk)
    if refused:
        return refused
    content = documents.decision_docx(campaign, selectors.named_by_unit(campaign))
    return _download(
        request, campaign, "decision", content, "naming-decision.docx", documents.DOCX_CONTENT_TYPE
    )


@require_GET
def certificates_xlsx(request, pk):
    campaign, refused = _named(request, pk)
    if refused:
        return refused
    content = documents.certificates_xlsx(campaign, selectors.certificate_rows(campaign))
    return _download(
        request, campaign, "certificates", content, "certificates.xlsx", XLSX_CONTENT_TYPE
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def publicity(request, slug, code):
    """公示 (no login): the proposed list and the objection form while it runs."""
    shown = selectors.publicity_get(slug=slug, code=code)
    form = ObjectionForm(request.POST or None, proposed=shown.proposed)
    if request.method == "POST" and shown.state == "open" and form.is_valid():
        data = form.cleaned_data
        chosen = next((n for n in shown.proposed if n.pk == data["nomination"]), None)
        try:
            services.objection_raise(
                campaign=shown.campaign,
                text=data["text"],
                contact=data["contact"],
                nomination=chosen,
            )
        except ServiceError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, "您的异议已提交，评选部门将核实并答复。")
            return redirect("campaigns:publicity", slug=slug, code=code)
    return render(
        request,
        "campaigns/publicity.html",
        {"plan": shown.campaign.plan, "shown": shown, "form": form},
    )
