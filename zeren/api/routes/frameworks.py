"""Frameworks and campaigns."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import Http404
from django.http.response import HttpResponseBase
from ninja import Query, Router

from zeren import access
from zeren.api.paging import PageParams, paged
from zeren.api.responses import bytes_response
from zeren.api.schemas import CampaignOut, FrameworkOut, Id, Page
from zeren.assessments.formdata import FrameworkRef
from zeren.campaigns.models import Campaign
from zeren.frameworks.loader import spec_from_db
from zeren.frameworks.models import Framework
from zeren.frameworks.spec import spec_to_mapping
from zeren.frameworks.xlsx import write_xlsx
from zeren.lib.http import AuthedRequest

router = Router(tags=["frameworks"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _framework(key: str, version: int) -> Framework:
    fw = Framework.objects.filter(key=key, version=version).first()
    if fw is None:
        raise Http404
    return fw


@router.get("/frameworks", response=Page[FrameworkOut], summary="指标体系 / frameworks")
def list_frameworks(request: AuthedRequest, page: Query[PageParams]) -> Any:
    qs = Framework.objects.annotate(n=Count("areas__topics__indicators"))
    return paged(
        qs,
        page,
        lambda f: {
            "key": f.key,
            "version": f.version,
            "title": f.title,
            "source": f.source,
            "indicators": f.n,
        },
    )


@router.get(
    "/frameworks/{key}/{version}",
    response=dict[str, Any],
    summary="指标体系定义 / the framework spec",
)
def get_framework(request: AuthedRequest, key: str, version: Id) -> Any:
    return spec_to_mapping(spec_from_db(_framework(key, version)))


@router.get(
    "/frameworks/{key}/{version}/xlsx",
    response={200: None},
    summary="指标体系 Excel / the framework as XLSX",
    openapi_extra={"responses": {"200": {"description": "XLSX", "content": {XLSX: {}}}}},
)
def get_framework_xlsx(request: AuthedRequest, key: str, version: Id) -> HttpResponseBase:
    fw = _framework(key, version)
    return bytes_response(write_xlsx(spec_from_db(fw)), f"{fw.key}-v{fw.version}.xlsx", XLSX)


campaigns = Router(tags=["campaigns"])


def campaign_out(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "year": c.year,
        "status": c.status,
        "framework": FrameworkRef(id=c.framework.key, version=c.framework.version),
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "accepting_submissions": c.is_accepting_submissions(),
    }


@router.get("/campaigns", response=Page[CampaignOut], tags=["campaigns"], summary="评估工作")
def list_campaigns(request: AuthedRequest, page: Query[PageParams]) -> Any:
    qs = access.campaigns_visible_to(request.user).select_related("framework")
    return paged(qs, page, campaign_out)


@router.get("/campaigns/{campaign_id}", response=CampaignOut, tags=["campaigns"])
def get_campaign(request: AuthedRequest, campaign_id: Id) -> Any:
    return campaign_out(access.get_campaign_for_user(request.user, campaign_id))
